"""Scale data of the expert panel: six case-review meetings a year for ten years, 100,000 cases
(15 % from the largest municipality, older years closed), each meeting's three cases granted to
its panel; the bench expert sits on every panel."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.utils import timezone

from portal.accounts.models import ExpertProfile, Organization, User
from portal.casereviews.models import Case, CaseUserObjectPermission, Meeting
from portal.devtools.scale import Plan, bulk, own_timestamps

STORY = (
    "中学2年の頃から登校しなくなり、卒業後は自室で過ごすことが多い。家族とは食事の時だけ顔を合わせる。"
    "母親が区の相談窓口に来所し、本人は相談に消極的。父親は仕事が忙しく関わりが少ない。"
    "これまで保健所の精神保健相談を一度利用したが継続しなかった。"
)


def generate(*, plan: Plan) -> None:
    if Case.objects.filter(reference__startswith="S").exists():
        return
    rng = plan.rng("casereviews")
    years = plan.years()
    tz = timezone.get_current_timezone()
    meetings = []
    for fy in years:
        for number in range(1, 7):
            day = dt.date(fy, 4, 1) + dt.timedelta(days=61 * (number - 1) + 14)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            meetings.append(
                Meeting(
                    fiscal_year=fy,
                    number=number + 10,  # demo meetings keep the low numbers
                    starts_at=dt.datetime.combine(day, dt.time(14), tzinfo=tz),
                    venue="東京都ひきこもりサポートネット 会議室",
                    status=Meeting.Status.HELD
                    if dt.datetime.combine(day, dt.time(14), tzinfo=tz) < plan.now
                    else Meeting.Status.SCHEDULED,
                )
            )
    bulk(Meeting, meetings)
    meetings = list(Meeting.objects.filter(number__gt=10).order_by("starts_at"))
    panel = list(
        ExpertProfile.objects.filter(user__email__endswith="@scale.example.jp")
        .exclude(panel_discipline="")
        .values_list("user_id", flat=True)[:8]
    )
    bench_expert = User.objects.get(email=plan.email("expert")).pk
    Through = Meeting.panel.through
    bulk(Through, (Through(meeting_id=m.pk, user_id=u) for m in meetings for u in {bench_expert, *panel[:4]}))

    big = Organization.objects.get(kind="municipality", name="スケール市")
    municipalities = list(Organization.objects.filter(kind="municipality").values_list("pk", flat=True))
    creators = dict(
        User.objects.filter(email__startswith="municipal", email__endswith="@scale.example.jp").values_list(
            "memberships__organization_id", "pk"
        )
    )
    total = plan.size("cases", minimum=50)
    by_meeting = {m.pk: m for m in meetings}
    slots = [(m.pk, s) for m in meetings for s in (1, 2, 3)]
    statuses_old = [Case.Status.CLOSED] * 8 + [Case.Status.FOLLOW_UP, Case.Status.DECLINED]
    statuses_now = list(Case.Status.values)
    bands = list(Case.AgeBand.values)

    def cases():
        for n in range(total):
            fy = years[min(len(years) - 1, n * len(years) // total)]
            org = big.pk if n % 100 < 15 else municipalities[rng.randrange(len(municipalities))]
            status = rng.choice(statuses_now if fy == years[-1] else statuses_old)
            created = dt.datetime(fy, 4, 1, tzinfo=timezone.get_default_timezone()) + dt.timedelta(
                minutes=rng.randrange(525_000)
            )
            created = min(created, plan.now - dt.timedelta(minutes=total - n))
            meeting_id, slot = slots[n] if n < len(slots) else (None, None)
            if meeting_id:
                status = (
                    Case.Status.ADVISED
                    if by_meeting[meeting_id].starts_at < plan.now
                    else Case.Status.SCHEDULED
                )
            yield Case(
                organization_id=org,
                reference=f"S{fy}-{n + 1:06d}",
                fiscal_year=fy,
                status=status,
                pseudonym=f"{chr(0x41 + n % 26)}さん",
                age=15 + n % 45,
                age_band=bands[n % len(bands)],
                withdrawal_years=1 + n % 20,
                history=STORY * 3,
                current_support="保健師による月1回の訪問。",
                difficulty="本人との接点がつくれない。",
                question="家族への助言の方向性について。",
                disciplines=["medical", "psychology"],
                consent=Case.Consent.FAMILY,
                meeting_id=meeting_id,
                slot=slot,
                created_by_id=creators.get(org) or creators[big.pk],
                created_at=created,
                updated_at=created,
                submitted_at=None if status == Case.Status.DRAFT else created + dt.timedelta(days=1),
                closed_at=created + dt.timedelta(days=200) if status == Case.Status.CLOSED else None,
            )

    with own_timestamps(Case):
        bulk(Case, cases())
    read = Permission.objects.get(codename="read_case", content_type__app_label="casereviews")
    on_meetings = Case.objects.filter(reference__startswith="S", meeting__isnull=False).values_list(
        "pk", "meeting_id"
    )
    bulk(
        CaseUserObjectPermission,
        (
            CaseUserObjectPermission(user_id=u, permission=read, content_object_id=pk)
            for pk, _meeting in on_meetings
            for u in {bench_expert, *panel[:4]}
        ),
    )
