"""The case list and the audit log filter by an organisation typed into a search box (part of the
name or the start of the code), not a drop-down of every organisation: at national scale that is
1,700+ options on every page view. The search narrows the visible rows and never widens them."""

import re

import pytest
from django.urls import reverse

from portal.accounts.models import Organization
from portal.core import audit

from .casereviews.conftest import submitted_case

pytestmark = pytest.mark.django_db


def _many_organisations(n=40):
    Organization.objects.bulk_create(
        Organization(kind="municipality", name=f"遠方町{i:03d}", code=f"{470000 + i:06d}") for i in range(n)
    )


def _refs(page):
    return set(re.findall(r"C\d{4}-\d{4}-[0-9A-F]{4}", page))


def test_case_list_filters_by_typed_organisation_without_listing_them_all(
    client, coordinator, org_a, org_b, member_a, admin_b
):
    _many_organisations()
    own, other = submitted_case(org_a, member_a), submitted_case(org_b, admin_b)
    url = reverse("casereviews:case_list")
    client.force_login(coordinator)

    page = client.get(url).content.decode()
    by_name = client.get(url, {"organization": "乙"}).content.decode()
    by_code = client.get(url, {"organization": "139001"}).content.decode()

    assert "遠方町" not in page and page.count("<option") < 20  # no option per organisation
    assert 'name="organization"' in page
    assert _refs(by_name) == {other.reference}
    assert _refs(by_code) == {own.reference}
    client.force_login(member_a)  # the search never shows another municipality's cases
    assert _refs(client.get(url, {"organization": "乙"}).content.decode()) == set()


def test_audit_log_filters_by_typed_organisation_without_listing_them_all(client, coordinator, org_a, org_b):
    _many_organisations()
    audit.record(actor=coordinator, action="test.a", obj=org_a, organization=org_a)
    audit.record(actor=coordinator, action="test.b", obj=org_b, organization=org_b)
    url = reverse("core:audit_list")
    client.force_login(coordinator)

    page = client.get(url).content.decode()
    filtered = client.get(url, {"organization": "乙区"})

    assert "遠方町" not in page and page.count("<option") < 20
    assert [e.organization for e in filtered.context["page"]] == [org_b]
