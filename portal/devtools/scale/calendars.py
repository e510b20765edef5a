"""Scale data of availability and calendars, for the slot list and the personal feeds:

* every talent-bank expert has weekly hours (two days a week, morning and afternoon, 60 days ahead);
* the bench expert has many rules: three windows every day of the week, bookable a year ahead in
  half-hour slots, and an exception every third day (an afternoon closed, a week's day off, a
  holiday opened);
* the bench municipality's administrator (``municipal@``) has a full year: an online exchange every
  week of this fiscal year and the three before.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import ExpertProfile, Membership, Organization, User
from portal.devtools.scale import DOMAIN, Plan, bulk
from portal.municipalities.models import ExchangeSession, Programme
from portal.partners.models import AvailabilityException, ExpertSchedule, WeeklyHours

BENCH_WINDOWS = ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17)), (dt.time(18), dt.time(21)))
WINDOWS = ((dt.time(10), dt.time(12)), (dt.time(13), dt.time(17)))


def generate(*, plan: Plan) -> None:
    bench = ExpertProfile.objects.get(user__email=plan.email("expert"))
    if ExpertSchedule.objects.filter(expert=bench).exists():
        return
    _availability(plan, bench)
    _exchanges(plan)


def _availability(plan: Plan, bench: ExpertProfile) -> None:
    experts = list(
        ExpertProfile.objects.filter(user__email__endswith="@" + DOMAIN)
        .exclude(talent_bank_discipline="")
        .exclude(pk=bench.pk)
        .order_by("pk")
    )
    bulk(
        ExpertSchedule,
        [
            ExpertSchedule(
                expert=bench,
                formats=["in_person", "online"],
                slot_minutes=30,
                buffer_minutes=0,
                min_notice_hours=24,
                horizon_days=365,
            ),
            *(ExpertSchedule(expert=e, formats=["online"], horizon_days=60) for e in experts),
        ],
    )
    schedules = dict(
        ExpertSchedule.objects.filter(expert__in=[bench, *experts]).values_list("expert_id", "pk")
    )
    hours = [
        WeeklyHours(schedule_id=schedules[bench.pk], weekday=day, start=start, end=end)
        for day in range(7)
        for start, end in BENCH_WINDOWS
    ]
    hours += [
        WeeklyHours(schedule_id=schedules[e.pk], weekday=day, start=start, end=end)
        for n, e in enumerate(experts)
        for day in sorted({n % 5, (n + 2) % 5})
        for start, end in WINDOWS
    ]
    bulk(WeeklyHours, hours)
    today = timezone.localdate(plan.now)
    exceptions = []
    for n in range(1, 366, 3):
        day = today + dt.timedelta(days=n)
        if n % 21 == 1:
            exceptions.append(AvailabilityException(schedule_id=schedules[bench.pk], date=day, kind="closed"))
        elif n % 21 == 10:
            exceptions.append(
                AvailabilityException(
                    schedule_id=schedules[bench.pk], date=day, kind="open", start=dt.time(7), end=dt.time(9)
                )
            )
        else:
            exceptions.append(
                AvailabilityException(
                    schedule_id=schedules[bench.pk],
                    date=day,
                    kind="closed",
                    start=dt.time(14),
                    end=dt.time(16),
                )
            )
    bulk(AvailabilityException, exceptions)


def _exchanges(plan: Plan) -> None:
    coordinator = User.objects.get(email=plan.email("coordinator"))
    municipal = User.objects.get(email=plan.email("municipal"))
    big = Organization.objects.get(kind="municipality", name="スケール市")
    colleagues = list(
        Membership.objects.filter(organization=big, is_active=True)
        .exclude(user=municipal)
        .order_by("pk")
        .values_list("user_id", flat=True)[:4]
    )
    tz = timezone.get_current_timezone()
    sessions = []
    for fy in plan.years()[-4:]:
        programme = Programme.objects.get(fiscal_year=fy)
        monday = dt.date(fy, 4, 1) - dt.timedelta(days=dt.date(fy, 4, 1).weekday())
        for week in range(52):
            starts = dt.datetime.combine(monday + dt.timedelta(weeks=week, days=2), dt.time(14), tzinfo=tz)
            sessions.append(
                ExchangeSession(
                    programme=programme,
                    organization=big,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=1, minutes=30),
                    meeting_url=f"https://meet.example.jp/scale-exchange-{fy}-{week:02d}",
                    status="held" if starts < plan.now else "scheduled",
                    created_by=coordinator,
                )
            )
    bulk(ExchangeSession, sessions)
    made = ExchangeSession.objects.filter(organization=big, meeting_url__contains="/scale-exchange-")
    Through = ExchangeSession.participants.through
    bulk(
        Through,
        (
            Through(exchangesession_id=pk, user_id=user)
            for pk in made.values_list("pk", flat=True)
            for user in (municipal.pk, *colleagues)
        ),
    )
