import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.casereviews import services

from ..factories import ExpertProfileFactory, enroll_totp

CLEAN_CASE = {
    "pseudonym": "Aさん",
    "age_band": "30s",
    "gender": "male",
    "withdrawal_years": 10,
    "living_situation": "母と二人暮らし",
    "household": "本人、母",
    "history": "高校中退後、10年ほど自宅で過ごしている。",
    "current_support": "市の窓口が母と面談している。",
    "agencies": "福祉部、保健所",
    "difficulty": "本人に会えない。",
    "question": "本人との接点の作り方について助言がほしい。",
    "disciplines": ["medical", "welfare"],
    "urgency": "normal",
    "consent": "family",
}


def png_upload(name="genogram.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")


@pytest.fixture
def panel_expert(db):
    profile = ExpertProfileFactory(user__email="panel@example.jp", panel_discipline="medical")
    enroll_totp(profile.user)
    return profile.user


@pytest.fixture
def other_expert(db):
    profile = ExpertProfileFactory(user__email="other-expert@example.jp", panel_discipline="legal")
    enroll_totp(profile.user)
    return profile.user


@pytest.fixture
def meeting(coordinator, panel_expert):
    meetings = services.meetings_generate(actor=coordinator, fiscal_year=2030)
    first = meetings[0]
    return services.meeting_update(
        actor=coordinator,
        meeting=first,
        based_on_version=first.version,
        starts_at=first.starts_at,
        venue="会議室",
        online_url="",
        capacity=3,
        panel=[panel_expert],
    )


def submitted_case(org, staff, **overrides):
    case = services.case_create(actor=staff, organization=org, data={**CLEAN_CASE, **overrides})
    return services.case_submit(actor=staff, case=case)


def submit_confirming_every_finding(actor, case):
    """Submit as a writer who checked every finding of the guard (an attached image that cannot be
    read included) and kept it."""
    try:
        return services.case_submit(actor=actor, case=case)
    except services.PersonalDataFound as found:
        keys = {services.finding_key(f, x) for f, items in found.findings.items() for x in items}
        return services.case_submit(actor=actor, case=case, confirmed=keys)
