"""Demo records of the talent bank (run by ``seed_demo``; idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import ExpertProfile, Organization, User
from portal.core import capacity
from portal.core.dates import add_business_days

from . import services
from .models import Consultation, WeeklyHours


def seed_demo() -> None:
    if Consultation.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    lawyer = ExpertProfile.objects.get(user__email="lawyer@example.jp")
    npo_a_staff = User.objects.get(email="npo-a@example.jp")
    npo_b_staff = User.objects.get(email="npo-b@example.jp")
    npo_a = Organization.objects.get(kind="partner", name="キズキ")
    npo_b = Organization.objects.get(kind="partner", name="ピアサポートしぶや")

    schedule = services.schedule_for(lawyer)
    schedule.profile = "NPO法人の法務（契約、個人情報の取扱い、事故対応）を専門とする弁護士です。"
    schedule.venue = "サポートネット相談室"
    schedule.save()
    for weekday in (0, 2, 4):
        WeeklyHours.objects.get_or_create(
            schedule=schedule, weekday=weekday, start=dt.time(13), end=dt.time(17)
        )

    # A completed consultation last month, with the expert's record.
    past = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) - dt.timedelta(days=30)
    held = capacity.hold(
        key=services.resource_key(lawyer.user_id),
        starts_at=past,
        ends_at=past + dt.timedelta(hours=1),
        holder=npo_a_staff,
    )
    done = services.request_create(
        actor=npo_a_staff,
        organization=npo_a,
        field="legal",
        topic="利用規約と同意書の見直し",
        description="居場所の利用規約と、活動中の事故に備えた同意書の書き方について相談したい。",
        fmt="in_person",
        attendees=[npo_a_staff],
        hold=held,
    )
    services.consultation_confirm(actor=coordinator, consultation=done)
    services.record_write(
        actor=lawyer.user,
        consultation=done,
        summary="同意書は目的・範囲・保険の有無を明記し、未成年者は保護者の同意を得る形に。",
        private_notes="次年度も継続相談の可能性あり。",
    )

    # A confirmed consultation in the coming weeks.
    start = services.available_slots(lawyer)[0][0]
    confirmed = services.request_create(
        actor=npo_a_staff,
        organization=npo_a,
        field="legal",
        topic="ボランティアとの契約",
        description="有償ボランティアの位置づけと契約書の要否について。",
        fmt="online",
        attendees=[npo_a_staff],
        hold=services.hold_slot(actor=npo_a_staff, expert=lawyer, starts_at=start),
    )
    services.consultation_confirm(actor=coordinator, consultation=confirmed)

    # A pending request with preferred dates.
    day = add_business_days(timezone.localdate(), 10)
    services.request_create(
        actor=npo_b_staff,
        organization=npo_b,
        field="management",
        topic="助成金の申請と会計",
        description="来年度の助成金申請に向けて、事業計画と会計の整え方を相談したい。",
        fmt="online",
        attendees=[npo_b_staff],
        preferred_dates=[day, add_business_days(day, 2), add_business_days(day, 5)],
    )
