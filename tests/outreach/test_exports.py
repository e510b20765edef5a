"""Touring-consultation summary and home-visit statistics: counted by the database, the same
number of queries for one municipality and for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.outreach import services

from ..exports import assert_flat, export
from ..factories import MembershipFactory, OrganizationFactory
from .conftest import book, plan_dates, plan_year, refer

pytestmark = pytest.mark.django_db


def test_summary_queries_flat_with_every_host(client, coordinator, plan, day, member_a, org_a):
    book(member_a, org_a, day, day.slots.first())
    client.force_login(coordinator)
    url = reverse("outreach:summary_xlsx")

    def add(n):
        for i in range(n):
            services.host_add(
                actor=coordinator, plan=plan, organization=OrganizationFactory(), dates=plan_dates(i % 3)
            )

    rows, queries = assert_flat(client, url, add, fmt=None, data={"fiscal_year": plan_year()})

    assert queries <= 30
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[org_a.name][1:4] == [2, 12, 1]
    assert len(by_name) == 26


def test_summary_of_a_municipality_is_its_own_row_only(client, coordinator, plan, host, member_a, org_a):
    services.host_add(actor=coordinator, plan=plan, organization=OrganizationFactory(), dates=plan_dates(1))
    client.force_login(member_a)

    rows, _ = export(client, reverse("outreach:summary_xlsx"), None, {"fiscal_year": plan_year()})

    assert [row[0] for row in rows[1:]] == [org_a.name]


def test_referral_statistics_queries_flat_and_grouped(client, coordinator):
    client.force_login(coordinator)
    made = []

    def add(n):
        for _ in range(n):
            org = OrganizationFactory()
            made.append(refer(MembershipFactory(organization=org).user, org))

    url = reverse("outreach:referral_statistics")
    add(1)
    data = {"fiscal_year": made[0].fiscal_year}
    rows, queries = assert_flat(client, url, add, fmt=None, data=data)
    with CaptureQueriesContext(connection) as ctx:
        export(client, url, None, data)

    assert queries <= 30
    assert sum(row[1] for row in rows[1:]) == len(made)
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "outreach_visitreferral"' in q["sql"]]
    assert reads and all("GROUP BY" in sql for sql in reads)
