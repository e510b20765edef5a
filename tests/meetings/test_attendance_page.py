"""The attendance list of a large fair: pages of 100 at the check-in desk and a search by name or
organisation; the PDF and the export keep everyone."""

import pytest
from django.urls import reverse

from ..factories import MembershipFactory, OrganizationFactory
from .conftest import make_event

pytestmark = pytest.mark.django_db


def test_the_check_in_desk_pages_and_searches(client, coordinator, monkeypatch):
    from portal.meetings import services, views

    monkeypatch.setattr(views, "ATTENDANCE_PAGE", 3)
    event = make_event(coordinator, capacity=10, per_organization=5)
    names = ["青木 一郎", "井上 二郎", "上田 三郎", "江藤 四郎", "大野 五郎"]
    for name in names:
        user = MembershipFactory(organization=OrganizationFactory(), user__display_name=name).user
        services.register(actor=user, event=event, mode="venue", accessibility="")
    client.force_login(coordinator)
    url = reverse("meetings:attendance", args=[event.pk])

    first = client.get(url)
    assert len(first.context["page"].object_list) == 3
    second = client.get(url + "?page=2")
    shown = [r.user.display_name for r in first.context["page"]] + [
        r.user.display_name for r in second.context["page"]
    ]
    assert sorted(shown) == sorted(names)  # every confirmed person on one page or the other

    found = client.get(url + "?q=上田")
    assert [r.user.display_name for r in found.context["page"]] == ["上田 三郎"]
    html = found.content.decode()
    assert 'value="上田"' in html  # the search stays in its box
    check_in = reverse("meetings:check_in", args=[found.context["page"][0].pk])
    assert f'action="{check_in}"' in html
