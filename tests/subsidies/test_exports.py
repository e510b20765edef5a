"""The call's workbook is written while its applications are read, at a fixed number of queries."""

import pytest
from django.urls import reverse

from ..exports import assert_flat
from ..factories import MembershipFactory, OrganizationFactory
from .conftest import draft, granted

pytestmark = pytest.mark.django_db


def test_call_export_queries_flat(client, coordinator, call):
    client.force_login(coordinator)
    made = []

    def add(n):
        for i in range(n):
            org = OrganizationFactory()
            staff = MembershipFactory(organization=org).user
            made.append(granted(call, org, staff, coordinator) if i % 3 == 0 else draft(call, org, staff))

    rows, queries = assert_flat(
        client, reverse("subsidies:call_export", args=[call.pk]), add, fmt=None, many=12
    )

    assert queries <= 30
    assert {row[0] for row in rows[1:]} == {a.organization.name for a in made}
    assert {row[5] for row in rows[1:]} == {2_200_000}
