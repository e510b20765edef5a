"""Demo records of the expert panel (run by ``seed_demo``; idempotent)."""

from __future__ import annotations

from django.utils import timezone

from portal.accounts.models import Organization, User
from portal.core.dates import fiscal_year_of

from . import services
from .models import Case, Meeting

HACHIOJI_SCHEDULED = {
    "pseudonym": "Aさん",
    "age_band": "40s",
    "gender": "male",
    "withdrawal_years": 18,
    "living_situation": "実家で両親と同居",
    "household": "本人、父（70代）、母（70代）",
    "history": "大学卒業後に就職したが、2年目に退職。以後ほとんど外出していない。",
    "current_support": "市の相談窓口が母親と月1回面談。本人とは会えていない。",
    "agencies": "市の福祉部、地域包括支援センター（父の介護の件）",
    "difficulty": "両親の高齢化で、今後の生活の見通しが立たない。本人は家族以外との接触を拒む。",
    "question": "本人との接点をどう作るか、親亡き後の生活設計について助言をいただきたい。",
    "disciplines": ["medical", "welfare", "legal"],
    "urgency": "high",
    "consent": "family",
}
HACHIOJI_ADVISED = {
    "pseudonym": "Bさん",
    "age_band": "20s",
    "gender": "female",
    "withdrawal_years": 4,
    "living_situation": "母とアパートで二人暮らし",
    "household": "本人、母",
    "history": "高校時代の不登校から継続。昼夜逆転。",
    "difficulty": "受診を勧めても拒否される。",
    "question": "医療につなぐタイミングと家族への助言について。",
    "disciplines": ["medical", "psychology"],
    "urgency": "normal",
    "consent": "person",
}
BUNKYO_SUBMITTED = {
    "pseudonym": "Cさん",
    "age_band": "30s",
    "gender": "other",
    "withdrawal_years": 9,
    "living_situation": "単身（親の持ち家）",
    "household": "本人のみ。母が近所に住む。",
    "history": "就職活動の失敗を機にひきこもる。",
    "difficulty": "家賃・光熱費を母が負担しており、母の収入減で継続が難しい。",
    "question": "生活保護など経済的支援の検討と、本人への伝え方について。",
    "disciplines": ["welfare", "legal"],
    "urgency": "normal",
    "consent": "none",
    "consent_reason": "本人と直接話せていないため",
}


def seed_demo() -> None:
    if Case.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    psychiatrist = User.objects.get(email="psychiatrist@example.jp")
    hachioji_staff = User.objects.get(email="hachioji@example.jp")
    bunkyo_staff = User.objects.get(email="bunkyo@example.jp")
    hachioji = Organization.objects.get(kind="municipality", name="八王子市")
    bunkyo = Organization.objects.get(kind="municipality", name="文京区")

    fy = fiscal_year_of()
    meetings = services.meetings_generate(
        actor=coordinator,
        fiscal_year=fy,
        venue="サポートネット会議室",
        online_url="https://meet.example.jp/case-review",
    )
    meetings += services.meetings_generate(
        actor=coordinator,
        fiscal_year=fy + 1,
        venue="サポートネット会議室",
        online_url="https://meet.example.jp/case-review",
    )
    upcoming = [m for m in Meeting.objects.order_by("starts_at") if m.starts_at > timezone.now()]
    for meeting in upcoming[:2]:
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            based_on_version=meeting.version,
            starts_at=meeting.starts_at,
            venue=meeting.venue,
            online_url=meeting.online_url,
            capacity=meeting.capacity,
            panel=[psychiatrist],
        )

    def submitted(org, staff, data):
        case = services.case_create(actor=staff, organization=org, data=data)
        return services.case_submit(actor=staff, case=case)

    scheduled = submitted(hachioji, hachioji_staff, HACHIOJI_SCHEDULED)
    services.case_accept(actor=coordinator, case=scheduled)
    services.case_schedule(actor=coordinator, case=scheduled, meeting=upcoming[0])

    advised = submitted(hachioji, hachioji_staff, HACHIOJI_ADVISED)
    services.case_accept(actor=coordinator, case=advised)
    advised = services.case_schedule(actor=coordinator, case=advised, meeting=upcoming[0])
    services.case_mark_reviewed(actor=coordinator, case=advised)
    # the panel's psychiatrist writes the medical part, the coordinator the rest
    services.advice_save(
        actor=User.objects.get(pk=psychiatrist.pk),
        case=advised,
        based_on_version=0,
        content={"medical": "睡眠の困りごとを入口に、かかりつけ医経由での受診を検討。"},
    )
    services.advice_save(
        actor=coordinator,
        case=advised,
        based_on_version=1,
        content={
            "summary": (
                "本人の生活リズムを尊重しつつ、まずは母親の相談継続を優先する。"
                "受診は本人の困りごと（睡眠）を入口に。"
            ),
            "psychology": "母親が本人を責めない関わりを続けられるよう、家族支援を。",
        },
    )
    services.advice_issue(actor=coordinator, case=advised)

    submitted(bunkyo, bunkyo_staff, BUNKYO_SUBMITTED)
