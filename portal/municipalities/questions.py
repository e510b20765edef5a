"""The default hearing-sheet questions, drawn from the programme description (seed section 5)."""

from typing import Any

PARTNER_AGENCIES = [
    "福祉（生活困窮・障害福祉等）",
    "保健（保健所・保健センター）",
    "医療（精神科医療機関等）",
    "教育（教育委員会・学校）",
    "就労（ハローワーク・サポステ等）",
    "社会福祉協議会",
    "民生委員・児童委員",
    "家族会",
    "居場所・民間支援団体",
]

EXCHANGE_TOPICS = [
    "相談窓口の周知",
    "関係機関との連携",
    "家族への支援",
    "居場所づくり",
    "訪問支援",
    "就労支援との連携",
    "支援者の人材育成",
    "その他",
]

DEFAULT_SECTIONS: list[dict[str, Any]] = [
    {
        "title": "1. 相談窓口と体制",
        "description": "ひきこもりに関する相談窓口と、相談に従事する職員の体制をお答えください。",
        "questions": [
            {
                "key": "windows",
                "label": "ひきこもりに関する相談窓口（名称・連絡先・受付時間）",
                "kind": "long_text",
                "required": True,
                "prefill": "windows",
                "help_text": "相談窓口一覧の登録内容を初期表示しています。必要に応じて修正してください。",
            },
            {"key": "department", "label": "担当部署", "kind": "short_text", "required": True},
            {
                "key": "staffing",
                "label": "相談に従事する職員の体制（資格別の人数）",
                "kind": "long_text",
                "help_text": (
                    "例：社会福祉士 2名、精神保健福祉士 1名、保健師 1名、"
                    "公認心理師・臨床心理士 0名、その他 1名"
                ),
            },
            {"key": "staff_total", "label": "相談に従事する職員の合計人数", "kind": "number"},
            {
                "key": "support_center",
                "label": "ひきこもり地域支援センター（又はサテライト）を設置していますか",
                "kind": "yes_no",
            },
        ],
    },
    {
        "title": "2. 連携機関",
        "description": "",
        "questions": [
            {
                "key": "agencies",
                "label": "連携している機関（あてはまるものすべて）",
                "kind": "multiple",
                "required": True,
                "choices": PARTNER_AGENCIES,
            },
            {
                "key": "collaboration",
                "label": "関係機関との連携の方法",
                "kind": "long_text",
                "help_text": "会議体、ケース会議、情報共有の仕組み、つなぎ先の決め方など",
            },
            {
                "key": "network_council",
                "label": "支援ネットワークの会議体",
                "kind": "single",
                "choices": ["設置済み", "設置を検討中", "未設置"],
            },
        ],
    },
    {
        "title": "3. 昨年度の相談実績",
        "description": "昨年度（4月～3月）の実績をお答えください。",
        "questions": [
            {"key": "consultations_total", "label": "延べ相談件数", "kind": "number", "required": True},
            {"key": "consultations_new", "label": "うち新規相談件数", "kind": "number"},
            {"key": "home_visits", "label": "訪問支援の件数", "kind": "number"},
            {
                "key": "statistics_file",
                "label": "集計表があれば添付してください",
                "kind": "file",
                "help_text": "PDF・Excel・Word・画像（10MBまで）",
            },
        ],
    },
    {
        "title": "4. 地域の社会資源",
        "description": "",
        "questions": [
            {"key": "ibasho", "label": "地域の居場所（名称・運営主体・頻度など）", "kind": "long_text"},
            {"key": "family_groups", "label": "地域の家族会", "kind": "long_text"},
        ],
    },
    {
        "title": "5. 課題とサポートネットへの要望",
        "description": "",
        "questions": [
            {
                "key": "challenges",
                "label": "ひきこもり支援で現在感じている課題",
                "kind": "long_text",
                "required": True,
            },
            {"key": "requests", "label": "東京都ひきこもりサポートネットへの要望", "kind": "long_text"},
            {
                "key": "topics",
                "label": "交流会で話し合いたいテーマ",
                "kind": "multiple",
                "choices": EXCHANGE_TOPICS,
            },
            {"key": "topics_detail", "label": "テーマの詳細・その他", "kind": "long_text"},
        ],
    },
    {
        "title": "6. 交流会（オンライン）の希望日",
        "description": "第3希望までお知らせください。",
        "questions": [
            {"key": "preferred_date_1", "label": "第1希望日", "kind": "date", "required": True},
            {"key": "preferred_date_2", "label": "第2希望日", "kind": "date"},
            {"key": "preferred_date_3", "label": "第3希望日", "kind": "date"},
            {
                "key": "online_tool",
                "label": "利用できるオンライン会議システム",
                "kind": "single",
                "choices": ["Zoom", "Microsoft Teams", "Webex", "その他"],
            },
        ],
    },
]
