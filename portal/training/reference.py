"""The 令和7年度 training catalogue (人材育成: ひきこもりに係る支援者等育成研修等事業), shipped as
reference data by a data migration and copied to later years with ``services.catalogue_copy``."""

FISCAL_YEAR = 2025
SUPPORTERS = ["municipality", "partner"]

# (code, track, number, title, format, audience, prerequisite codes, description)
CATALOGUE = [
    (
        "supporters-intro",
        "supporters",
        1,
        "ひきこもり概論",
        "online",
        SUPPORTERS,
        [],
        "ひきこもりの定義と現状、国及び都の支援の経緯、支援の基本的な考え方を学びます。",
    ),
    (
        "supporters-home-visit",
        "supporters",
        2,
        "訪問相談支援",
        "in_person",
        SUPPORTERS,
        [],
        "家庭訪問による相談支援の進め方、本人・家族との関係づくり、訪問時の留意点を学びます。",
    ),
    (
        "supporters-ibasho",
        "supporters",
        3,
        "居場所支援",
        "in_person",
        SUPPORTERS,
        [],
        "安心して過ごせる居場所の運営、参加者との関わり方、次の段階へのつなぎ方を学びます。",
    ),
    (
        "supporters-family",
        "supporters",
        4,
        "家族への支援",
        "online",
        SUPPORTERS,
        [],
        "家族の心理と負担、家族教室や個別相談での支援、家族を通じた本人へのアプローチを学びます。",
    ),
    (
        "supporters-case-study",
        "supporters",
        5,
        "事例検討",
        "in_person",
        SUPPORTERS,
        ["supporters-intro"],
        "参加者が持ち寄った事例をグループで検討し、見立てと支援方針を考えます。概論の修了が前提です。",
    ),
    (
        "supporters-practice",
        "supporters",
        6,
        "活動事例紹介",
        "online",
        SUPPORTERS,
        [],
        "区市町村や支援団体の取組事例の紹介を通じて、地域での支援の工夫を共有します。",
    ),
    (
        "supporters-theme",
        "supporters",
        7,
        "テーマ別研修",
        "online",
        SUPPORTERS,
        [],
        "就労支援、発達特性、8050問題など、年度ごとのテーマを掘り下げます。",
    ),
    (
        "implementers-guideline",
        "implementers",
        1,
        "ひきこもり等のサポートガイドラインに係る研修",
        "in_person",
        ["partner"],
        [],
        "若者社会参加応援事業の実施団体向けに、サポートガイドラインに沿った支援の質の確保を学びます。",
    ),
    (
        "agencies-intro",
        "agencies",
        1,
        "ひきこもり概論",
        "online",
        ["agency"],
        [],
        "保健・医療・福祉・教育・就労などの関係機関の職員向けに、ひきこもり支援の基礎を学びます。",
    ),
    (
        "commissioners-intro-video",
        "commissioners",
        1,
        "ひきこもり概論【動画】",
        "video",
        ["commissioners"],
        [],
        "民生委員・児童委員向けの動画研修です。ひきこもりの基礎知識を学び、確認テストに答えます。",
    ),
    (
        "commissioners-family-video",
        "commissioners",
        2,
        "家族支援【動画】",
        "video",
        ["commissioners"],
        [],
        "地域で家族の相談を受けたときの聴き方と、相談窓口へのつなぎ方を動画で学びます。",
    ),
    (
        "commissioners-system-video",
        "commissioners",
        3,
        "都の支援体制【動画】",
        "video",
        ["commissioners"],
        [],
        "東京都ひきこもりサポートネットと区市町村の相談窓口など、都の支援体制を動画で学びます。",
    ),
    (
        "commissioners-in-person",
        "commissioners",
        4,
        "対面研修",
        "in_person",
        ["commissioners"],
        ["commissioners-intro-video"],
        "動画研修の内容を踏まえ、事例を交えて地域での見守りと支援のつなぎ方を話し合います。",
    ),
]


def load(Course, fiscal_year: int = FISCAL_YEAR) -> int:
    """Create the catalogue's courses for ``fiscal_year`` (idempotent); returns how many were new."""
    created = 0
    by_code = {}
    for code, track, number, title, fmt, audience, _prereqs, description in CATALOGUE:
        course, new = Course.objects.get_or_create(
            fiscal_year=fiscal_year,
            code=code,
            defaults={
                "track": track,
                "number": number,
                "title": title,
                "format": fmt,
                "audience": audience,
                "description": description,
            },
        )
        by_code[code] = course
        created += new
    for code, *_rest, prereqs, _description in CATALOGUE:
        if prereqs:
            by_code[code].prerequisites.add(*[by_code[p] for p in prereqs])
    return created
