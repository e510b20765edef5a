import re

import pytest
from django.urls import reverse

from ..factories import MembershipFactory, OrganizationFactory
from ..queries import page
from .conftest import draft, make_call, submitted

pytestmark = pytest.mark.django_db


def assert_flat_with_rows(client, url, add_rows, marker):
    """Same number of queries at 1 and at 31 rows, and every row is on the page."""
    add_rows(1)
    client.get(url)  # warm process-wide caches
    html, at_one = page(client, url)
    assert len(set(re.findall(marker, html))) == 1
    add_rows(30)
    html, at_many = page(client, url)
    assert len(set(re.findall(marker, html))) == 31
    assert at_one == at_many, f"{url}: {at_one} queries at 1 row, {at_many} at 31 rows"


def _municipal_applications(coordinator, call, *, submit):
    def add(n):
        for _ in range(n):
            staff = MembershipFactory(organization=OrganizationFactory()).user
            org = staff.memberships.get().organization
            (submitted if submit else draft)(call, org, staff)

    return add


def test_coordinator_application_list(coordinator, client):
    call = make_call(coordinator, 2026)
    client.force_login(coordinator)
    assert_flat_with_rows(
        client,
        reverse("subsidies:application_list"),
        _municipal_applications(coordinator, call, submit=True),
        r"/subsidies/applications/\d+/",
    )


def test_coordinator_call_detail(coordinator, client):
    call = make_call(coordinator, 2026)
    client.force_login(coordinator)
    assert_flat_with_rows(
        client,
        reverse("subsidies:call_detail", args=[call.pk]),
        _municipal_applications(coordinator, call, submit=False),
        r"/subsidies/applications/\d+/",
    )


def test_municipal_application_list(coordinator, org_a, member_a, client):
    client.force_login(member_a)
    years = iter(range(2030, 2100))

    def add(n):
        for _ in range(n):
            draft(make_call(coordinator, next(years)), org_a, member_a)

    assert_flat_with_rows(client, reverse("subsidies:application_list"), add, r"/subsidies/applications/\d+/")


def test_call_list(coordinator, org_a, member_a, client):
    client.force_login(member_a)
    years = iter(range(2030, 2100))

    def add(n):
        for _ in range(n):
            draft(make_call(coordinator, next(years)), org_a, member_a)

    assert_flat_with_rows(client, reverse("subsidies:call_list"), add, r"/subsidies/applications/\d+/")
