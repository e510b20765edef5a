"""The public partner-organisation CSV is streamed as read, at a fixed number of queries
(the areas of every entry prefetched per chunk, not read per row)."""

import pytest
from django.urls import reverse

from portal.directory import services

from ..exports import assert_flat
from ..factories import MembershipFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_partner_csv_queries_flat(client, coordinator, org_a, org_b):
    names = []

    def add(n):
        for _ in range(n):
            partner = PartnerFactory(name=f"支援団体{len(names)}")
            staff = MembershipFactory(organization=partner).user
            areas = [org_a, org_b][: 1 + len(names) % 2]
            entry = services.entry_propose(
                actor=staff,
                organization=partner,
                data={"description": "居場所", "support_types": ["freespace"], "areas": areas},
                based_on_version=None,
            )
            services.entry_approve(actor=coordinator, entry=entry, reviewed_version=entry.version)
            names.append(partner.name)

    rows, queries = assert_flat(client, reverse("directory:partner_csv"), add, fmt=None, kind="csv")

    assert queries <= 30
    assert {row[2] for row in rows[1:]} == {org_a.name, f"{org_a.name}・{org_b.name}"}
    assert all(any(name in row[0] for row in rows[1:]) for name in names)
