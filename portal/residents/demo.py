"""Demo data of the residents' services (run by ``seed_demo``; idempotent, any hour of the day):
the five public pages, this and next fiscal year's schedule with its seminars, and a few
applications."""

from __future__ import annotations

from django.utils import timezone

from portal.accounts.models import User
from portal.core.dates import fiscal_year_of
from portal.core.models import SeatMode

from . import selectors, services
from .models import ConsultationDay, Page, Relationship
from .pages_content import ALL

THEMES = [
    ("ひきこもり状態にある方への訪問相談 ～第三者の支援を活用する時～", "東京都ひきこもりサポートネット"),
    ("生きづらさの先にあるもの ～障害者雇用という選択～", "障害者就業・生活支援センター"),
    ("家族からみたひきこもり、支援者からみたひきこもり", "元当事者"),
    (
        "働くことが難しいお子さんの生活設計 ～お金の見通しの立て方～",
        "社会保険労務士・ファイナンシャルプランナー",
    ),
    ("ひきこもる本人をどう理解し接すればいいか ～家族だからできること～", "家族会"),
    ("家族としてのアプローチを見つめなおす", "民間支援団体カウンセラー"),
    ("家族が知っておきたい、ひきこもりの支援先", "東京都ひきこもりサポートネット"),
]


def load_pages(**_kwargs) -> int:
    """The five public pages with their first text, if missing (reference data: every install has
    the pages the entrance links to; the secretariat edits them afterwards)."""
    now, made = timezone.now(), 0
    for kind, content in ALL.items():
        if not Page.objects.filter(kind=kind).exists():
            services.page_create(kind=kind, publish_from=now, **content)
            made += 1
    return made


def seed_demo() -> None:
    coordinator = User.objects.filter(email="coordinator@example.jp").first()
    load_pages()
    for fy in (fiscal_year_of(), fiscal_year_of() + 1):
        if ConsultationDay.objects.filter(fiscal_year=fy).exists():
            continue
        services.schedule_create(actor=coordinator, fiscal_year=fy)
        for seminar, (theme, lecturer) in zip(
            services.Seminar.objects.filter(fiscal_year=fy), THEMES * 2, strict=False
        ):
            services.seminar_update(
                actor=coordinator,
                seminar=seminar,
                data={
                    "theme": theme,
                    "lecturer": lecturer,
                    "online_url": "https://zoom.example.jp/j/0000000000",
                },
            )
    if services.IndividualApplication.objects.exists():
        return
    slots = selectors.open_slots()
    if len(slots) >= 3:
        base = {
            "municipality": "足立区",
            "phone": "03-0000-0000",
            "subject_municipality": "足立区",
            "subject_age": 24,
            "subject_gender": "male",
            "relationship": Relationship.PARENT,
        }
        services.individual_apply(
            data={
                **base,
                "name": "山田 花子（デモ）",
                "name_kana": "やまだ はなこ",
                "email": "family-demo@example.jp",
            },
            preferences=slots[:2],
        )
        services.individual_apply(
            data={**base, "name": "佐藤 一郎（デモ）", "name_kana": "さとう いちろう"},
            preferences=[slots[2]],
            channel="phone",
            actor=coordinator,
        )
    seminars = selectors.upcoming_seminars(open_only=True)[:2]
    if seminars:
        services.seminar_apply(
            data={
                "name": "鈴木 和子（デモ）",
                "name_kana": "すずき かずこ",
                "municipality": "八王子市",
                "phone": "042-000-0000",
                "email": "seminar-demo@example.jp",
            },
            seminars=seminars,
            mode=SeatMode.ONLINE,
        )
