import pytest
from django.urls import reverse

from ..factories import ExpertProfileFactory, enroll_totp
from .test_frontend_rules import _nav_links

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("person", ["expert", "member_a", "admin_a", "partner_member"])
def test_navigation_links_open_for_the_person_they_are_shown_to(client, login, request, person):
    # Arrange
    login(request.getfixturevalue(person))
    links, _nav = _nav_links(client)

    # Act
    statuses = {link: client.get(link).status_code for link in sorted(links) if link.startswith("/")}

    # Assert: the navigation leads to no page that refuses the person (no dead ends).
    assert {link: code for link, code in statuses.items() if code >= 400} == {}


def test_talent_bank_expert_navigation_reaches_the_talent_bank(client, login):
    profile = ExpertProfileFactory(panel_discipline="", talent_bank_discipline="legal")
    enroll_totp(profile.user)
    login(profile.user)

    links, _nav = _nav_links(client)

    assert reverse("partners:consultation_list") in links
    assert client.get(reverse("partners:consultation_list")).status_code == 200
