import pytest
from django.urls import reverse

from portal.outreach import services

from ..factories import OrganizationFactory
from ..queries import assert_flat
from .conftest import book, plan_dates, refer

pytestmark = pytest.mark.django_db


def test_host_list(coordinator, plan, client):
    client.force_login(coordinator)
    added = []

    def add(n):
        for _ in range(n):
            added.append(
                services.host_add(
                    actor=coordinator, plan=plan, organization=OrganizationFactory(), dates=plan_dates()
                )
            )

    assert_flat(client, reverse("outreach:host_list"), add)
    html = client.get(reverse("outreach:host_list")).content.decode()
    assert all(reverse("outreach:host_detail", args=[h.pk]) in html for h in added)


def test_booking_list(day, member_a, org_a, client):
    client.force_login(member_a)
    added = []

    def add(n):
        added.extend(book(member_a, org_a, day, None) for _ in range(n))

    assert_flat(client, reverse("outreach:booking_list"), add)
    html = client.get(reverse("outreach:booking_list")).content.decode()
    assert all(reverse("outreach:booking_detail", args=[b.pk]) in html for b in added)


def test_host_detail_with_bookings(day, member_a, org_a, client):
    client.force_login(member_a)
    free = iter(day.slots.all())
    added = []

    def add(n):
        for _ in range(n):
            slot = next(free, None)
            added.append(book(member_a, org_a, day, slot))

    assert_flat(client, reverse("outreach:host_detail", args=[day.host_id]), add)
    html = client.get(reverse("outreach:host_detail", args=[day.host_id])).content.decode()
    assert all(reverse("outreach:booking_detail", args=[b.pk]) in html for b in added)


def test_referral_list(coordinator, member_a, org_a, client):
    client.force_login(coordinator)
    added = []

    def add(n):
        added.extend(refer(member_a, org_a) for _ in range(n))

    assert_flat(client, reverse("outreach:referral_list"), add)
    html = client.get(reverse("outreach:referral_list")).content.decode()
    assert all(r.reference in html for r in added)
