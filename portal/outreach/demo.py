"""Demo records of 巡回相談 and 訪問相談 (run by ``seed_demo``; idempotent, any hour of the day)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Organization, User
from portal.core.dates import fiscal_year_of

from . import services
from .models import OutreachPlan, VisitReferral


def seed_demo() -> None:
    if OutreachPlan.objects.exists() or VisitReferral.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji_user = User.objects.get(email="hachioji@example.jp")
    bunkyo_user = User.objects.get(email="bunkyo@example.jp")
    hachioji = Organization.objects.get(kind="municipality", name="八王子市")
    bunkyo = Organization.objects.get(kind="municipality", name="文京区")

    # Next fiscal year's plan: its June days are always ahead, whatever today is.
    fy = fiscal_year_of() + 1
    plan = services.plan_create(actor=coordinator, fiscal_year=fy)
    host = services.host_add(
        actor=coordinator, plan=plan, organization=hachioji, dates=[dt.date(fy, 6, 10), dt.date(fy, 6, 17)]
    )
    host = services.host_save(
        actor=hachioji_user,
        host=host,
        data={
            "facility_name": "八王子市保健福祉センター",
            "facility_address": "八王子市内（市の施設）",
            "room": "2階 相談室",
            "access": "JR八王子駅からバス",
            "barrier_free": "エレベーター・多目的トイレあり",
            "contact_name": "福祉部 相談担当",
            "contact_department": "福祉部 福祉政策課",
            "contact_phone": "",
            "application_deadline": dt.date(fy, 6, 3),
            "date_proposal": "",
        },
        based_on_version=host.version,
        agree=True,
    )
    host = services.host_publish(actor=coordinator, host=host)
    first = host.days.order_by("date").first()
    slots = list(first.slots.all())
    topic = "子どもが数年外出しておらず、家族としての関わり方を相談したい。"
    services.booking_create(
        actor=hachioji_user,
        organization=hachioji,
        day=first,
        slot=slots[0],
        data={
            "initial": "Aさん",
            "relationship": "parent",
            "age_band": "20s",
            "resident_municipality": hachioji,
            "contact_route": "市の窓口から電話で連絡",
            "topic": topic,
        },
    )
    services.booking_create(
        actor=bunkyo_user,
        organization=bunkyo,
        day=first,
        slot=slots[2],
        data={
            "initial": "Kさん",
            "relationship": "sibling",
            "age_band": "30s",
            "resident_municipality": bunkyo,
            "contact_route": "区の窓口から連絡",
            "topic": "弟のことで、相談先の選び方を知りたい。",
        },
    )
    services.host_add(
        actor=coordinator, plan=plan, organization=bunkyo, dates=[dt.date(fy, 9, 9), dt.date(fy, 9, 16)]
    )

    base = {
        "compulsory_education_done": True,
        "lives_in_tokyo": True,
        "is_exception": False,
        "exception_reason": "",
        "consent_how": "in_person",
        "consent_on": timezone.localdate() - dt.timedelta(days=3),
    }
    services.referral_submit(
        actor=hachioji_user,
        organization=hachioji,
        data={
            **base,
            "pseudonym": "Cさん",
            "age": 26,
            "withdrawal_months": 36,
            "household": "両親と同居。母が市の窓口に相談している。",
            "tried": "保健師が母と2回面談。",
            "consent_by": "family",
            "preferred_times": "平日の午後",
        },
    )
    accepted = services.referral_submit(
        actor=bunkyo_user,
        organization=bunkyo,
        data={
            **base,
            "pseudonym": "Dさん",
            "age": 19,
            "withdrawal_months": 14,
            "household": "母と二人暮らし。",
            "tried": "区の若者相談につないだが継続しなかった。",
            "consent_by": "person",
            "preferred_times": "土曜の午前",
        },
    )
    accepted = services.referral_triage(actor=coordinator, referral=accepted, decision="accept")
    start = (timezone.localtime() + dt.timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    services.referral_schedule_interview(
        actor=coordinator, referral=accepted, starts_at=start, place="文京区役所 相談室"
    )
