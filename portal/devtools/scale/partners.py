"""Scale data of the talent bank: 50,000 consultations over ten years between partner
organisations and talent-bank experts (the bench partner's organisation and the bench expert
have their share)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import ExpertProfile, Membership
from portal.devtools.scale import Plan, bulk, own_timestamps
from portal.partners.models import Consultation

TOPICS = ["就労支援の進め方", "家族会の運営", "個人情報の取扱い", "法人の会計"]


def generate(*, plan: Plan) -> None:
    if Consultation.objects.filter(topic__startswith="【規模】").exists():
        return
    rng = plan.rng("partners")
    years = plan.years()
    experts = list(
        ExpertProfile.objects.filter(user__email__endswith="@scale.example.jp")
        .exclude(talent_bank_discipline="")
        .values_list("user_id", "talent_bank_discipline")
    )
    staff = list(
        Membership.objects.filter(organization__kind="partner", user__email__endswith="@scale.example.jp")
        .order_by("pk")
        .values_list("organization_id", "user_id")
    )
    statuses = list(Consultation.Status.values)
    total = plan.size("consultations", minimum=20)

    def rows():
        for n in range(total):
            fy = years[min(len(years) - 1, n * len(years) // total)]
            expert, field = experts[n % len(experts)]
            org, requester = staff[0] if n % 50 == 0 else staff[rng.randrange(len(staff))]
            created = dt.datetime(fy, 4, 1, tzinfo=timezone.get_default_timezone()) + dt.timedelta(
                minutes=rng.randrange(525_000)
            )
            created = min(created, plan.now - dt.timedelta(minutes=total - n))
            starts = created + dt.timedelta(days=10, hours=rng.randrange(9))
            status = rng.choice(statuses) if fy == years[-1] else Consultation.Status.COMPLETED
            yield Consultation(
                organization_id=org,
                fiscal_year=fy,
                field=field,
                topic="【規模】" + rng.choice(TOPICS),
                description="団体の運営で困っていることについて相談したい。",
                format=rng.choice(["in_person", "online"]),
                expert_id=expert if status != Consultation.Status.REQUESTED else None,
                starts_at=starts if status != Consultation.Status.REQUESTED else None,
                ends_at=starts + dt.timedelta(hours=1) if status != Consultation.Status.REQUESTED else None,
                status=status,
                requested_by_id=requester,
                created_at=created,
            )

    with own_timestamps(Consultation):
        bulk(Consultation, rows())
