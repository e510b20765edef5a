"""Demo records of the guidebook and the materials library (run by ``seed_demo``; idempotent):
a published 令和7年度 edition with its six chapters, a public leaflet, a members-only booklet and
the materials of an exchange meeting."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.core import pdf

from . import services
from .models import Edition, Material

CHAPTERS = [
    (
        "国及び都におけるひきこもりに係る支援の経緯",
        [
            (
                "国の取組",
                "国は、ひきこもり地域支援センターの設置や、市町村における相談窓口の明確化などを進めてきました。"
                "近年は、ひきこもりの状態にある本人だけでなく、家族を含めた支援が重視されています。",
            ),
            (
                "都の取組",
                "東京都は、東京都ひきこもりサポートネットを設置し、電話・メール・訪問による相談を行っています。"
                "また、東京都ひきこもりに係る支援協議会の提言を受け、区市町村への支援を強めてきました。",
            ),
        ],
    ),
    (
        "ひきこもりの定義",
        [
            (
                "定義",
                "ひきこもりは、様々な要因の結果として社会的参加を回避し、原則的には6か月以上にわたって"
                "概ね家庭にとどまり続けている状態を指す現象概念です。病名や診断名ではありません。",
            ),
            (
                "状態像の幅",
                "外出の有無や家族との関わり方は人によって異なります。\n\n"
                "| 状態 | 例 |\n|---|---|\n"
                "| 自室中心 | 家族とも顔を合わせにくい |\n| 近所には外出 | コンビニ等には行ける |",
            ),
        ],
    ),
    (
        "ひきこもりに係る支援を取り巻く現状と課題",
        [
            (
                "長期化・高年齢化",
                "ひきこもりの状態が長期に及び、本人と家族がともに高齢になる例が増えています。"
                "いわゆる「8050問題」への対応が課題です。",
            ),
            (
                "相談につながりにくさ",
                "本人や家族が相談先を知らない、相談することにためらいがある、などの理由で"
                "支援につながるまでに時間がかかることがあります。",
            ),
        ],
    ),
    (
        "ひきこもりに係る支援の基本的考え方",
        [
            (
                "本人と家族に寄り添う",
                "支援の目標は、本人が自らの意思で次の一歩を踏み出せるよう、"
                "本人と家族の思いに寄り添いながら関わり続けることです。",
            ),
            (
                "切れ目のない支援",
                "年齢や状態によって支援が途切れることのないよう、関係機関が連携して支えます。",
            ),
        ],
    ),
    (
        "ひきこもりに係る支援の方向性",
        [
            (
                "身近な地域での相談",
                "区市町村が相談窓口を明確にし、身近な地域で相談できる体制を整えることが大切です。",
            ),
            (
                "多様な社会参加の場",
                "居場所、就労体験、ボランティアなど、本人の状態に応じた多様な参加の場を用意します。",
            ),
        ],
    ),
    (
        "区市町村における支援の実例",
        [
            (
                "アウトリーチの工夫",
                "ある市では、保健師と支援団体が同行して家庭を訪問し、"
                "家族との面談を重ねることで本人との関係づくりにつなげました。",
            ),
            (
                "家族会との連携",
                "ある区では、家族会と協力して家族教室を開き、家族同士が経験を分かち合う場を設けました。",
            ),
        ],
    ),
]


def _pdf(title: str, lines: list[str]):
    return pdf.demo_document(f"{title}.pdf", title, lines)


def seed_demo() -> None:
    if Edition.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    edition = services.edition_create(
        actor=coordinator,
        fiscal_year=2025,
        title="ひきこもり支援ガイドブック",
        subtitle="区市町村職員向け",
    )
    edition.foreword = (
        "このガイドブックは、東京都ひきこもりに係る支援協議会の「提言」を基に、ひきこもりに係る支援の"
        "基本的考え方や方向性をまとめたものです。皆様の支援の一助となれば幸いです。"
    )
    edition.save(update_fields=["foreword"])
    for number, (title, sections) in enumerate(CHAPTERS, start=1):
        chapter = services.chapter_save(actor=coordinator, edition=edition, number=number, title=title)
        for section_title, body in sections:
            services.section_add(actor=coordinator, chapter=chapter, title=section_title, body=body)
    with transaction.atomic():
        services.publish(actor=coordinator, edition=edition)

    services.material_create(
        actor=coordinator,
        upload=_pdf(
            "ひきこもりサポートネット リーフレット",
            ["ひとりで悩まず、まずはご相談ください。", "電話・メール・訪問で相談を受け付けています。"],
        ),
        title="東京都ひきこもりサポートネット リーフレット",
        description="本人・家族向けの相談案内です。",
        category=Material.Category.LEAFLET,
        fiscal_year=2025,
        audience=Material.Audience.PUBLIC,
    )
    services.material_create(
        actor=coordinator,
        upload=_pdf(
            "ひきこもり等の若者支援プログラム", ["若者社会参加応援事業の実施団体向けのプログラム集です。"]
        ),
        title="冊子「ひきこもり等の若者支援プログラム」",
        description="支援団体が取り組むプログラムの考え方と実例をまとめた冊子です（会員限定）。",
        category=Material.Category.BOOKLET,
        fiscal_year=2025,
        audience=Material.Audience.MEMBERS,
    )
    from portal.meetings.models import Event

    event = Event.objects.order_by("starts_at").filter(kind="supporters").first()
    if event is not None:
        services.material_create(
            actor=coordinator,
            upload=_pdf("支援者交流会 資料", ["事例提供の資料です。", "持ち出し・転載はご遠慮ください。"]),
            title=f"{event.title} 資料",
            description="交流会の参加者向け資料です。",
            category=Material.Category.MEETING,
            fiscal_year=2026,
            audience=Material.Audience.EVENT,
            event=event,
        )
