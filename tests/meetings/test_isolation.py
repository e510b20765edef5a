"""Meeting lists show another organisation's user none of our rows: the meeting page's
own-organisation registrations, and a registration's own URLs. The list costs the same queries
at 1 and at many rows, and the rows are on the page."""

import pytest
from django.urls import reverse

from portal.meetings import services

from ..factories import MembershipFactory
from ..queries import page as _page
from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_meeting_page_lists_only_ones_own_organisation(client, coordinator, admin_a, admin_b, org_a, org_b):
    event = make_event(coordinator, capacity=200, per_organization=100)
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            a = MembershipFactory(organization=org_a, user__display_name=f"甲市職員{i:03d}").user
            b = MembershipFactory(organization=org_b, user__display_name=f"乙区職員{i:03d}").user
            services.register(actor=a, event=event)
            services.register(actor=b, event=event)

    url = reverse("meetings:event_detail", args=[event.pk])
    client.force_login(admin_b)
    add(1)
    client.get(url)  # warm process-wide caches
    one, one_queries = _page(client, url)
    add(30)
    many, many_queries = _page(client, url)
    per_row = one.count("乙区職員00")  # a name shows in the list and in its cancel button
    assert per_row >= 1 and many.count("乙区職員") == 31 * per_row
    assert "甲市職員" not in one and "甲市職員" not in many
    assert one_queries == many_queries
    client.force_login(admin_a)
    ours, _queries = _page(client, url)
    assert ours.count("甲市職員") == 31 * per_row and "乙区職員" not in ours


def test_another_organisations_registration_is_404(client, coordinator, admin_b, member_a):
    event = make_event(coordinator, capacity=5)
    registration = services.register(actor=member_a, event=event)
    client.force_login(admin_b)
    for name in ("meetings:registration_cancel", "meetings:offer_accept"):
        assert client.post(reverse(name, args=[registration.pk])).status_code == 404, name
    assert client.get(reverse("meetings:survey", args=[registration.pk])).status_code == 404
    assert client.get(reverse("meetings:attendance", args=[event.pk])).status_code == 403
    registration.refresh_from_db()
    assert registration.status == "confirmed"
