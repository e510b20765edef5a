"""Which rows each person sees in every list of the network-building programme: another
municipality, an expert, a partner and a coordinator. A list that dropped its organisation filter
fails here; list and detail use the one visibility rule of permissions.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.municipalities import permissions, selectors, services
from portal.windows import permissions as window_permissions
from portal.windows import services as window_services


def _window(actor, org, name):
    return window_services.window_save(
        actor=actor,
        organization=org,
        window=None,
        based_on_version=None,
        name=name,
        department="",
        phone="03-1234-5678",
        hours="",
        email="",
        web_url="",
        accepts_home_visit=False,
        notes="",
        order=1,
    )


@pytest.fixture
def lists_world(coordinator, programme, org_a, org_b, admin_a, admin_b):
    services.participation_add(actor=coordinator, programme=programme, organizations=[org_a, org_b])
    rows = {}
    for key, org, staff in (("a", org_a, admin_a), ("b", org_b, admin_b)):
        sheet = programme.sheets.get(organization=org)
        start = timezone.now() + dt.timedelta(days=20)
        session = services.session_schedule(
            actor=coordinator,
            sheet=sheet,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            meeting_url="https://meet.example.jp/x",
            participants=[coordinator, staff],
        )
        action = services.action_add(
            actor=coordinator,
            session=session,
            description=f"資料送付{key.upper()}",
            owner=staff,
            due_date=timezone.localdate() + dt.timedelta(days=30),
        )
        window = _window(staff, org, f"ひきこもり相談{key.upper()}")
        rows[key] = {"sheet": sheet, "session": session, "action": action, "window": window}
    return rows


def _sheet_links(page, rows):
    return {
        k for k, r in rows.items() if reverse("municipalities:sheet_detail", args=[r["sheet"].pk]) in page
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "expected"), [("admin_a", {"a"}), ("admin_b", {"b"}), ("coordinator", {"a", "b"})]
)
def test_sheet_list_shows_exactly_the_viewers_sheets(client, lists_world, request, viewer, expected):
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(reverse("municipalities:sheet_list")).content.decode()

    assert _sheet_links(page, lists_world) == expected
    for key, rows in lists_world.items():
        status = client.get(reverse("municipalities:sheet_detail", args=[rows["sheet"].pk])).status_code
        assert status == (200 if key in expected else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["expert", "partner_member"])
def test_experts_and_partners_have_no_sheet_list(client, lists_world, request, viewer):
    user = request.getfixturevalue(viewer)
    client.force_login(user)

    assert client.get(reverse("municipalities:sheet_list")).status_code == 403
    assert not permissions.visible_sheets(user).exists()
    assert not permissions.visible_sessions(user).exists()
    assert not permissions.visible_actions(user).exists()
    assert not window_permissions.visible_windows(user).exists()
    assert not permissions.visible_participations(user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "mine", "theirs"), [("admin_a", "a", "b"), ("admin_b", "b", "a")])
def test_dashboard_shows_only_the_own_municipalitys_sheets_exchanges_and_actions(
    client, lists_world, request, viewer, mine, theirs
):
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(reverse("core:dashboard")).content.decode()

    own, other = lists_world[mine], lists_world[theirs]
    assert reverse("municipalities:session_detail", args=[own["session"].pk]) in page
    assert reverse("municipalities:session_detail", args=[other["session"].pk]) not in page
    assert own["action"].description in page and other["action"].description not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "mine", "theirs"), [("admin_a", "a", "b"), ("admin_b", "b", "a")])
def test_my_windows_lists_only_the_own_municipalitys_windows(
    client, lists_world, request, viewer, mine, theirs
):
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(reverse("windows:window_mine")).content.decode()

    assert lists_world[mine]["window"].name in page and lists_world[theirs]["window"].name not in page


@pytest.mark.django_db
def test_exchanges_of_a_sheet_and_participants_follow_the_visibility_rules(
    lists_world, programme, admin_a, coordinator
):
    sheet_b = lists_world["b"]["sheet"]

    assert list(selectors.sessions_of_sheet(admin_a, sheet_b)) == []
    assert list(selectors.sessions_of_sheet(coordinator, sheet_b)) == [lists_world["b"]["session"]]
    assert {p.organization.code for p in selectors.participations_of(admin_a, programme)} == {"139001"}
    assert len(selectors.participations_of(coordinator, programme)) == 2


@pytest.mark.django_db
def test_programme_participants_are_for_coordinators(client, lists_world, programme, coordinator, admin_b):
    client.force_login(coordinator)
    page = client.get(reverse("municipalities:programme_detail", args=[programme.pk])).content.decode()
    assert "甲市" in page and "乙区" in page

    client.force_login(admin_b)
    assert client.get(reverse("municipalities:programme_detail", args=[programme.pk])).status_code == 403
