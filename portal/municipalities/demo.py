"""Demo records of the network-building programme (run by ``seed_demo``; idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Organization, User
from portal.core.dates import fiscal_year_of, fiscal_year_range
from portal.windows.demo import seed_demo as seed_windows

from . import services
from .models import HearingSheet, Programme

HACHIOJI_ANSWERS = {
    "department": "福祉部 地域福祉推進課",
    "staffing": "社会福祉士 2名、精神保健福祉士 1名、保健師 1名、公認心理師 1名",
    "staff_total": 5,
    "support_center": "yes",
    "agencies": [
        "福祉（生活困窮・障害福祉等）",
        "保健（保健所・保健センター）",
        "社会福祉協議会",
        "民生委員・児童委員",
        "家族会",
    ],
    "collaboration": "月1回の支援調整会議で、生活困窮・障害福祉・保健所・社協とケースを共有しています。",
    "network_council": "設置済み",
    "consultations_total": 412,
    "consultations_new": 96,
    "home_visits": 58,
    "ibasho": "市内2か所の居場所（NPO運営、週2回）",
    "family_groups": "市内家族会（月1回、市民センター）",
    "challenges": "40代以上の長期化したケースで、ご本人につながるまでに時間がかかっています。",
    "requests": "訪問支援の進め方について、具体的な事例をもとに助言をいただきたいです。",
    "topics": ["訪問支援", "家族への支援"],
}


def seed_demo() -> None:
    seed_windows()  # the hearing sheets are pre-filled from the municipalities' windows
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = Organization.objects.get(kind="municipality", name="八王子市")
    bunkyo = Organization.objects.get(kind="municipality", name="文京区")
    hachioji_staff = User.objects.get(email="hachioji@example.jp")
    bunkyo_staff = User.objects.get(email="bunkyo@example.jp")

    today = timezone.localdate()
    fy = fiscal_year_of(today)
    _fy_start, fy_end = fiscal_year_range(fy)

    last = Programme.objects.filter(fiscal_year=fy - 1).first()
    if last is None:
        last = services.programme_open(
            actor=coordinator, fiscal_year=fy - 1, hearing_deadline=dt.date(fy - 1, 7, 31)
        )
        services.participation_add(actor=coordinator, programme=last, organizations=[hachioji])
        sheet = HearingSheet.objects.get(programme=last, organization=hachioji)
        older = {
            **HACHIOJI_ANSWERS,
            "consultations_total": 351,
            "staff_total": 4,
            "staffing": "社会福祉士 2名、精神保健福祉士 1名、保健師 1名",
            "preferred_date_1": dt.date(fy - 1, 8, 20).isoformat(),
        }
        services.sheet_submit(
            actor=hachioji_staff,
            sheet=sheet,
            answers={**sheet.answers, **older},
            based_on_version=sheet.version,
        )

    current = Programme.objects.filter(fiscal_year=fy).first()
    if current is None:
        deadline = min(today + dt.timedelta(days=20), fy_end)
        current = services.programme_open(actor=coordinator, fiscal_year=fy, hearing_deadline=deadline)
        services.participation_add(actor=coordinator, programme=current, organizations=[hachioji, bunkyo])
        sheet = HearingSheet.objects.get(programme=current, organization=hachioji)
        answers = {
            **sheet.answers,
            **HACHIOJI_ANSWERS,
            "preferred_date_1": (today + dt.timedelta(days=14)).isoformat(),
            "preferred_date_2": (today + dt.timedelta(days=16)).isoformat(),
            "online_tool": "Zoom",
        }
        sheet = services.sheet_submit(
            actor=hachioji_staff, sheet=sheet, answers=answers, based_on_version=sheet.version
        )
        start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=14), dt.time(14, 0)))
        services.session_schedule(
            actor=coordinator,
            sheet=sheet,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1, minutes=30),
            meeting_url="https://meet.example.jp/hachioji-exchange",
            participants=[coordinator, hachioji_staff],
        )
        draft = HearingSheet.objects.get(programme=current, organization=bunkyo)
        services.sheet_save(
            actor=bunkyo_staff,
            sheet=draft,
            answers={
                **draft.answers,
                "department": "福祉部 生活福祉課",
                "challenges": "（記入中）相談窓口の周知が課題です。",
            },
            based_on_version=draft.version,
        )
