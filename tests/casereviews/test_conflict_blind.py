"""A conflict an expert declares with a municipality must not tell them where a blind case comes
from: until a coordinator confirms it, it bars the municipality's open cases only, and every such
declaration (the right municipality or any other) leaves the blind cases they read as they were."""

import pytest
from django.urls import reverse

from portal.casereviews import services
from portal.casereviews.models import ConflictOfInterest

from .conftest import submitted_case
from .test_conflicts import _fresh, _sees_nothing

pytestmark = pytest.mark.django_db


def _scheduled(coordinator, org, staff, meeting, **overrides):
    case = services.case_accept(actor=coordinator, case=submitted_case(org, staff, **overrides))
    return services.case_schedule(actor=coordinator, case=case, meeting=meeting)


def _seen(client, expert, meeting, case):
    """What the expert can observe of the case: in their list, on the agenda."""
    client.force_login(_fresh(expert))
    return (
        case.reference in client.get(reverse("casereviews:case_list")).content.decode(),
        case.reference
        in client.get(reverse("casereviews:meeting_detail", args=[meeting.pk])).content.decode(),
    )


def _declare(client, expert, organization):
    client.force_login(_fresh(expert))
    response = client.post(
        reverse("casereviews:conflict_list"), {"organization": organization.pk, "reason": "審議会の委員"}
    )
    assert response.status_code == 302
    return ConflictOfInterest.objects.filter(expert=expert).latest("pk")


def test_a_declaration_about_a_municipality_changes_nothing_of_the_blind_cases_until_confirmed(
    client, coordinator, org_a, org_b, member_a, panel_expert, meeting
):
    blind = _scheduled(coordinator, org_a, member_a, meeting, blind_review=True)
    detail = reverse("casereviews:case_detail", args=[blind.pk])
    client.force_login(_fresh(panel_expert))
    before = client.get(detail).status_code, _seen(client, panel_expert, meeting, blind)

    wrong = _declare(client, panel_expert, org_b)  # not the case's municipality
    after_wrong = client.get(detail).status_code, _seen(client, panel_expert, meeting, blind)
    right = _declare(client, panel_expert, org_a)  # the case's municipality
    after_right = client.get(detail).status_code, _seen(client, panel_expert, meeting, blind)

    assert before == after_wrong == after_right  # the two answers cannot be told apart
    assert before == (200, (True, True))
    assert wrong.awaits_confirmation and right.awaits_confirmation
    assert _fresh(panel_expert).has_perm("casereviews.read_case", blind)

    client.force_login(coordinator)
    response = client.post(reverse("casereviews:conflict_confirm", args=[right.pk]))

    assert response.status_code == 302
    assert not ConflictOfInterest.objects.get(pk=right.pk).awaits_confirmation
    assert not _fresh(panel_expert).has_perm("casereviews.read_case", blind)
    _sees_nothing(client, panel_expert, blind, meeting)


def test_an_open_case_of_the_declared_municipality_is_barred_at_once(
    client, coordinator, org_a, member_a, panel_expert, meeting
):
    open_case = _scheduled(coordinator, org_a, member_a, meeting)

    _declare(client, panel_expert, org_a)

    _sees_nothing(client, panel_expert, open_case, meeting)


def test_a_conflict_the_secretariat_records_bars_blind_cases_at_once(
    client, coordinator, org_a, member_a, panel_expert, meeting
):
    blind = _scheduled(coordinator, org_a, member_a, meeting, blind_review=True)

    conflict = services.conflict_declare(
        actor=coordinator, expert=panel_expert, organization=org_a, reason="甲市の顧問"
    )

    assert not conflict.awaits_confirmation
    _sees_nothing(client, panel_expert, blind, meeting)
