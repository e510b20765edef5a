"""Which rows each person sees in every list of the expert panel: another municipality, the
panel's expert, an expert not on the panel, a partner and a coordinator. A list that dropped its
organisation or grant filter fails here."""

import re

import pytest
from django.urls import reverse

from portal.casereviews import permissions, selectors, services

from .conftest import submitted_case


@pytest.fixture
def lists_world(coordinator, org_a, org_b, member_a, admin_b, meeting, panel_expert, other_expert):
    own = submitted_case(org_a, member_a)
    other = submitted_case(org_b, admin_b)
    on_agenda = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    adhoc = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_b, admin_b), expert=other_expert
    )
    return {"own": own, "other": other, "on_agenda": on_agenda, "adhoc": adhoc, "meeting": meeting}


def _refs(page: str) -> set[str]:
    return set(re.findall(r"C\d{4}-\d{4}-[0-9A-F]{4}", page))


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("member_a", {"own", "on_agenda"}),
        ("admin_b", {"other", "adhoc"}),
        ("panel_expert", {"on_agenda"}),
        ("other_expert", {"adhoc"}),
        ("coordinator", {"own", "other", "on_agenda", "adhoc"}),
    ],
)
def test_case_list_shows_exactly_the_cases_the_viewer_may_read(
    client, lists_world, request, viewer, expected
):
    user = _fresh(request.getfixturevalue(viewer))
    client.force_login(user)

    page = client.get(reverse("casereviews:case_list")).content.decode()

    assert _refs(page) == {lists_world[k].reference for k in expected}
    # list and detail agree: every listed case opens, every other one answers 404
    for key, case in lists_world.items():
        if key == "meeting":
            continue
        status = client.get(reverse("casereviews:case_detail", args=[case.pk])).status_code
        assert status == (200 if key in expected else 404), (viewer, key, status)


@pytest.mark.django_db
def test_partner_has_no_case_list(client, lists_world, partner_member):
    client.force_login(partner_member)

    assert client.get(reverse("casereviews:case_list")).status_code == 403
    assert not permissions.visible_cases(partner_member).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "sees_meeting"),
    [("panel_expert", True), ("other_expert", False), ("coordinator", True)],
)
def test_meeting_list_shows_only_the_viewers_meetings(client, lists_world, request, viewer, sees_meeting):
    client.force_login(_fresh(request.getfixturevalue(viewer)))
    meeting = lists_world["meeting"]

    page = client.get(reverse("casereviews:meeting_list")).content.decode()

    assert (reverse("casereviews:meeting_detail", args=[meeting.pk]) in page) is sees_meeting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("member_a", {"own", "on_agenda"}), ("admin_b", {"other", "adhoc"}), ("panel_expert", {"on_agenda"})],
)
def test_dashboard_cases_panel_shows_only_the_viewers_cases(client, lists_world, request, viewer, expected):
    client.force_login(_fresh(request.getfixturevalue(viewer)))

    page = client.get(reverse("core:dashboard")).content.decode()

    assert _refs(page) == {lists_world[k].reference for k in expected}


@pytest.mark.django_db
def test_list_and_detail_use_the_one_visibility_rule(lists_world, admin_b):
    assert list(selectors.cases_visible_to(admin_b)) == list(permissions.visible_cases(admin_b))
