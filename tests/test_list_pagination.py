"""Long lists come in pages of 50 with a count and page links that keep the person's filters; each
page costs the same queries, and the visibility rules still decide which rows anyone sees."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Organization
from portal.guidebook.models import Material
from portal.meetings.models import Event

from .factories import PartnerFactory

pytestmark = pytest.mark.django_db


def _next_link(html):
    """The href of the 次へ link, un-escaped."""
    match = re.search(r'<a href="(\?[^"]*)" rel="next">', html)
    assert match, "no next-page link"
    return match.group(1).replace("&amp;", "&")


def test_organization_list_pages_keep_the_filter(client, coordinator):
    Organization.objects.bulk_create(
        Organization(kind="partner", name=f"頁送り支援団体{i:03d}", kana=f"ぺーじ{i:03d}") for i in range(60)
    )
    PartnerFactory(name="絞り込み外の団体")
    client.force_login(coordinator)
    url = reverse("accounts:organization_list")

    first = client.get(url, {"q": "頁送り"}).content.decode()
    link = _next_link(first)
    second = client.get(url + link).content.decode()

    assert first.count("頁送り支援団体") == 50 and "全60件中1–50件目" in first
    assert "q=%E9%A0%81" in link and "page=2" in link  # the search is kept
    assert second.count("頁送り支援団体") == 10 and "全60件中51–60件目" in second
    assert "絞り込み外の団体" not in first + second


def _materials(by, n, audience, prefix):
    Material.objects.bulk_create(
        Material(
            title=f"{prefix}{i:03d}", category="other", fiscal_year=2026, audience=audience, created_by=by
        )
        for i in range(n)
    )


def test_material_list_pages_keep_the_filter_and_the_audience_rule(client, coordinator, partner_member):
    _materials(coordinator, 55, "partners", "連携団体向け資料")
    _materials(coordinator, 5, "municipalities", "区市町村向け資料")
    Material.objects.create(
        title="前年度の資料", category="other", fiscal_year=2025, audience="partners", created_by=coordinator
    )
    url = reverse("guidebook:material_list")

    client.force_login(partner_member)
    first = client.get(url, {"year": 2026}).content.decode()
    link = _next_link(first)
    second = client.get(url + link).content.decode()

    assert first.count("連携団体向け資料") == 50 and "全55件中1–50件目" in first
    assert "year=2026" in link and "page=2" in link
    assert second.count("連携団体向け資料") == 5
    assert "区市町村向け資料" not in first + second  # another audience's rows stay hidden
    assert "前年度の資料" not in first + second
    client.force_login(coordinator)
    assert "全60件中1–50件目" in client.get(url, {"year": 2026}).content.decode()


def _events(coordinator, n, *, title, audience, days):
    start = timezone.now() + dt.timedelta(days=days)
    Event.objects.bulk_create(
        Event(
            kind="supporters",
            title=f"{title}{i:03d}",
            starts_at=start + dt.timedelta(hours=i),
            ends_at=start + dt.timedelta(hours=i + 1),
            audience=audience,
            registration_deadline=start - dt.timedelta(days=3),
            created_by=coordinator,
        )
        for i in range(n)
    )


def test_event_list_pages_upcoming_and_past_separately(client, coordinator, partner_member):
    _events(coordinator, 52, title="連携団体の交流会", audience=["partner"], days=10)
    _events(coordinator, 53, title="終わった交流会", audience=["partner"], days=-30)
    _events(coordinator, 4, title="区市町村だけの会", audience=["municipality"], days=10)
    url = reverse("meetings:event_list")

    client.force_login(partner_member)
    first = client.get(url).content.decode()
    upcoming, past = first.split("終了した会</h2>")
    second_past = client.get(url, {"past": 2}).content.decode().split("終了した会</h2>")[1]

    assert upcoming.count("連携団体の交流会") == 50 and "全52件中1–50件目" in upcoming
    assert "連携団体の交流会000" in upcoming  # soonest first
    assert past.count("終わった交流会") == 50 and "全53件中1–50件目" in past
    assert "終わった交流会052" in past  # latest first
    assert second_past.count("終わった交流会") == 3 and "終わった交流会000" in second_past
    assert "区市町村だけの会" not in first  # another audience's meetings stay hidden
    client.force_login(coordinator)
    assert "全56件中1–50件目" in client.get(url).content.decode()
