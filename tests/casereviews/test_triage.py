"""The coordinator's triage: one labelled form per answer, meetings with their date and free places,
and a refused answer keeps what was typed."""

import re

import pytest
from django.urls import reverse

from portal.casereviews import services
from portal.casereviews.models import Case
from portal.core.dates import display

from .conftest import submitted_case


def _forms(page: str) -> dict[str, set[str]]:
    """action URL → the names of the fields the form sends (without the CSRF token)."""
    return {
        action: set(re.findall(r'name="([^"]+)"', body)) - {"csrfmiddlewaretoken"}
        for action, body in re.findall(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    }


@pytest.fixture
def full_meeting(coordinator, org_a, member_a, meeting):
    """The second meeting of the year, with one place, taken."""
    second = meeting.__class__.objects.filter(fiscal_year=meeting.fiscal_year, number=2).get()
    second = services.meeting_update(
        actor=coordinator,
        meeting=second,
        based_on_version=second.version,
        starts_at=second.starts_at,
        venue="",
        online_url="",
        capacity=1,
        panel=[],
    )
    services.case_schedule(
        actor=coordinator,
        meeting=second,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    return second


@pytest.mark.django_db
def test_triage_shows_each_meeting_with_its_date_weekday_and_free_places(
    client, coordinator, org_a, member_a, meeting, full_meeting
):
    services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    assert f"{display(meeting.starts_at)} {meeting}（空き2件）" in page
    assert f"{display(full_meeting.starts_at)} {full_meeting}（満席）" in page
    full_radio = re.search(rf'<input[^>]*value="{full_meeting.pk}"[^>]*>', page).group(0)
    assert "disabled" in full_radio


@pytest.mark.django_db
def test_each_triage_answer_is_its_own_labelled_form_with_only_its_fields(
    client, coordinator, org_a, member_a, meeting
):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    forms = _forms(page)
    assert forms[reverse("casereviews:case_return", args=[case.pk])] == {"comment"}
    assert forms[reverse("casereviews:case_accept", args=[case.pk])] == {"meeting", "comment"}
    assert forms[reverse("casereviews:case_adhoc", args=[case.pk])] == {"expert", "comment"}
    assert forms[reverse("casereviews:case_decline", args=[case.pk])] == {"comment"}
    for heading in ("追加情報の依頼", "会議で検討", "随時のコンサルテーション", "対象外"):
        assert f">{heading}</h3>" in page
    assert "formaction" not in page
    assert len(re.findall(r'id="return_comment"', page)) == 1
    assert len(re.findall(r'id="decline_comment"', page)) == 1


@pytest.mark.django_db
def test_adhoc_without_an_expert_keeps_the_comment_and_says_why(client, coordinator, org_a, member_a):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(
        reverse("casereviews:case_adhoc", args=[case.pk]), {"expert": "", "comment": "医療面を中心に"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "data-error-summary" in page and 'href="#adhoc_expert"' in page
    assert "医療面を中心に</textarea>" in page
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


@pytest.mark.django_db
def test_accept_onto_a_full_meeting_changes_nothing_and_keeps_the_comment(
    client, coordinator, org_a, member_a, full_meeting
):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(
        reverse("casereviews:case_accept", args=[case.pk]),
        {"meeting": full_meeting.pk, "comment": "次回の会議で"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "その会議は満席です" in page and "次回の会議で</textarea>" in page
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


@pytest.mark.django_db
def test_accept_with_a_meeting_puts_the_case_on_its_agenda(client, coordinator, org_a, member_a, meeting):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(reverse("casereviews:case_accept", args=[case.pk]), {"meeting": meeting.pk})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.SCHEDULED and case.meeting == meeting


@pytest.mark.django_db
def test_accept_without_a_meeting_leaves_the_choice_for_later(client, coordinator, org_a, member_a, meeting):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(reverse("casereviews:case_accept", args=[case.pk]), {"meeting": ""})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED and case.meeting is None


@pytest.mark.django_db
def test_decline_without_a_reason_is_refused_on_the_page(client, coordinator, org_a, member_a):
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(reverse("casereviews:case_decline", args=[case.pk]), {"comment": "  "})

    assert response.status_code == 200
    assert 'href="#decline_comment"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


@pytest.mark.django_db
def test_schedule_lists_meetings_with_date_and_free_places(client, coordinator, org_a, member_a, meeting):
    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    assert f"{display(meeting.starts_at)} {meeting}（空き3件）" in page
    assert _forms(page)[reverse("casereviews:case_schedule", args=[case.pk])] == {"meeting"}


@pytest.mark.django_db
def test_ad_hoc_consultation_offers_and_accepts_only_experts_who_can_write_the_answer(
    client, coordinator, org_a, member_a, panel_expert
):
    from django.core.exceptions import ValidationError

    from ..factories import ExpertProfileFactory

    talent_bank_only = ExpertProfileFactory(
        user__display_name="法務 専門家", panel_discipline="", talent_bank_discipline="legal"
    ).user
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    assert panel_expert.get_full_name() in page
    assert "法務 専門家" not in page
    with pytest.raises(ValidationError):
        services.case_assign_adhoc(actor=coordinator, case=case, expert=talent_bank_only)
