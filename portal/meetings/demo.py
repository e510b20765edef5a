"""Demo records of exchange meetings and fairs (run by ``seed_demo``; idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Organization, User

from . import services
from .models import Event, ProgrammeItem


def _demo_pdf(filename: str, title: str, lines: list[str]):
    """A real PDF (Japanese text, IPAex fonts) through the portal's one PDF renderer."""
    from portal.core import pdf

    return pdf.demo_document(filename, title, lines)


def seed_demo() -> None:
    if Event.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = User.objects.get(email="hachioji@example.jp")
    bunkyo = User.objects.get(email="bunkyo@example.jp")
    npo_a = User.objects.get(email="npo-a@example.jp")
    kizuki = Organization.objects.get(kind="partner", name="キズキ")
    now = timezone.localtime()

    def at(days, hour):
        return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)

    upcoming = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="令和8年度 第2回 ひきこもり支援者交流会",
        starts_at=at(21, 14),
        ends_at=at(21, 17),
        venue="都庁第一本庁舎 会議室",
        online_url="https://meet.example.jp/supporters",
        audience=["municipality"],
        capacity=15,  # the venue's seats; online participants come on top, as at the 家族セミナー
        online_capacity=50,
        per_organization=4,
        registration_deadline=at(14, 17),
        description="区市町村等の相談窓口の支援者が、支援事例の共有と意見交換を行います。",
    )
    ProgrammeItem.objects.create(
        event=upcoming, kind="talk", title="長期化したひきこもりへの支援", speaker="精神科医", order=1
    )
    ProgrammeItem.objects.create(event=upcoming, kind="group", title="グループワーク：家族支援", order=2)
    services.register(actor=hachioji, event=upcoming)
    services.register(actor=bunkyo, event=upcoming, mode="online")

    past = services.event_create(
        actor=coordinator,
        kind="partners",
        title="令和8年度 連携団体交流会",
        starts_at=at(1, 13),
        ends_at=at(1, 16),
        venue="サポートネット会議室",
        online_url="",
        audience=["partner"],
        capacity=30,
        per_organization=3,
        registration_deadline=at(1, 12),  # before it starts, whatever the hour seed_demo runs
        description="連携団体どうしの意見交換、事例紹介、講義。",
    )
    registration = services.register(actor=npo_a, event=past)
    services.material_add(
        actor=coordinator,
        event=past,
        title="講義資料（ひきこもり等のサポートガイドライン）",
        upload=_demo_pdf(
            "guideline.pdf",
            "講義資料：ひきこもり等のサポートガイドライン",
            [
                "本資料は連携団体交流会の講義で使用したデモ用の資料です。",
                "ひきこもり状態にある方とその家族への支援は、本人のペースを尊重し、"
                "相談窓口・医療・福祉・就労支援の関係機関が連携して行います。",
                "1. 相談を受けたら、まず家族の困りごとを丁寧に聴き取ります。",
                "2. 本人との関係づくりを急がず、訪問相談などの手段を組み合わせます。",
                "3. 支援の記録と情報共有は、個人情報の取扱いに十分注意して行います。",
            ],
        ),
    )
    services.check_in(actor=coordinator, registration=registration)
    Event.objects.filter(pk=past.pk).update(
        starts_at=at(-30, 13), ends_at=at(-30, 16), registration_deadline=at(-35, 17)
    )

    fair = services.event_create(
        actor=coordinator,
        kind="fair",
        title="合同相談会（西部）",
        area="west",
        starts_at=at(35, 13),
        ends_at=at(35, 17),
        venue="立川市内の会場",
        online_url="",
        audience=["partner"],
        capacity=60,
        per_organization=4,
        registration_deadline=at(25, 17),
        description="支援団体と関係機関が集まり、個別に相談を受けます。",
    )
    application = services.exhibitor_apply(
        actor=npo_a, event=fair, organization=kizuki, staff_count=2, offer="学習支援と社会参加の相談"
    )
    services.exhibitor_decide(actor=coordinator, application=application, approve=True)
