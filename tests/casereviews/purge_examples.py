"""Purge builders for the expert panel: a case (and a draft) with the marker in every text a
person can write, made through the services as the people would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.casereviews import services
from portal.casereviews.models import Case

from ..purge_people import people

PHONE = "090-1234-5678"


def _upload(marker: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{marker}.png", b"\x89PNG\r\n\x1a\n" + marker.encode() + b"0" * 64, content_type="image/png"
    )


def _data(marker: str) -> dict:
    return {
        "pseudonym": f"{marker}さん",
        "age": 34,
        "age_band": "30s",
        "gender": "male",
        "withdrawal_years": 10,
        "living_situation": f"母と二人暮らし {marker}",
        "household": f"本人、母 {marker}",
        "history": f"母から{PHONE}で相談があった。{marker}",
        "current_support": f"市の窓口が母と面談している。{marker}",
        "agencies": f"福祉部 {marker}",
        "difficulty": f"本人に会えない。{marker}",
        "question": f"接点の作り方について助言がほしい。{marker}",
        "disciplines": ["medical", "legal"],
        "urgency": "normal",
        "consent": "none",
        "consent_reason": f"本人と話せていない {marker}",
    }


def _submit(p, case):
    try:
        return services.case_submit(actor=p.member, case=case)
    except services.PersonalDataFound as found:
        keys = {services.finding_key(f, x) for f, items in found.findings.items() for x in items}
        return services.case_submit(actor=p.member, case=case, confirmed=keys)


def build_case(marker: str) -> list[Case]:
    """A case through the whole route (returned, accepted, scheduled, notes, advice with every
    discipline, report, a conflict on the case, closed), and a declined one (the reason)."""
    p = people()
    case = services.case_create(
        actor=p.member, organization=p.municipality, data=_data(marker), uploads_=[_upload(marker)]
    )
    case = _submit(p, case)
    case = services.case_return(actor=p.coordinator, case=case, comment=f"通院先を教えてください {marker}")
    case = _submit(p, case)
    case = services.case_accept(actor=p.coordinator, case=case, comment=f"次回会議で検討 {marker}")
    meeting = services.meetings_generate(actor=p.coordinator, fiscal_year=2031)[0]
    meeting = services.meeting_update(
        actor=p.coordinator,
        meeting=meeting,
        based_on_version=meeting.version,
        starts_at=meeting.starts_at,
        venue="会議室",
        online_url="",
        capacity=3,
        panel=[p.expert],
    )
    case = services.case_schedule(actor=p.coordinator, case=case, meeting=meeting)
    services.note_add(actor=type(p.expert).objects.get(pk=p.expert.pk), case=case, body=f"事前メモ {marker}")
    services.advice_save(
        actor=p.coordinator,
        case=case,
        based_on_version=0,
        content={
            name: f"{name} {marker}" for name in ("summary", "medical", "psychology", "legal", "welfare")
        },
    )
    case = services.case_mark_reviewed(actor=p.coordinator, case=case, comment=f"検討済み {marker}")
    services.advice_issue(actor=p.coordinator, case=case)
    case.refresh_from_db()
    services.follow_up_report(actor=p.member, case=case, body=f"本人と会えた {marker}")
    case.refresh_from_db()
    services.conflict_declare(
        actor=p.coordinator, expert=p.other_expert, case=case, reason=f"兄と同じ職場 {marker}"
    )
    case = services.case_close(actor=p.coordinator, case=case, comment=f"終結 {marker}")

    declined = services.case_create(actor=p.member, organization=p.municipality, data=_data(marker))
    declined = _submit(p, declined)
    declined = services.case_decline(actor=p.coordinator, case=declined, reason=f"対象外 {marker}")
    return [case, declined]


def build_draft(marker: str) -> list[Case]:
    """A draft saved and left: never submitted."""
    p = people()
    draft = services.case_create(
        actor=p.member, organization=p.municipality, data=_data(marker), uploads_=[_upload(marker)]
    )
    draft = services.case_save(actor=p.member, case=draft, data=_data(marker), based_on_version=draft.version)
    return [draft]


EXAMPLES = {"casereviews.case": build_case, "casereviews.draft": build_draft}

# Fields of a covered model that the kind's records cannot hold (with the reason).
UNREACHABLE = {
    "casereviews.draft": {"casereviews.Case.decline_reason": "a draft is never triaged"},
}
