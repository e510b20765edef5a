"""Every list page of news and the directories costs the same queries at 1 and at 31 rows, and
shows the rows."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.directory import services as directory_services
from portal.directory.models import SupportInstitution
from portal.meetings.models import Event, ExhibitorApplication
from portal.news import services

from ..factories import MembershipFactory, PartnerFactory
from ..queries import assert_flat
from .conftest import event_data, published, submitted

pytestmark = pytest.mark.django_db
counter = itertools.count()


def _assert_rows(client, url, texts):
    html = client.get(url).content.decode()
    for text in texts:
        assert text in html, text


def test_public_news_list(coordinator, org_a, member_a, client):
    titles = []

    def add(n):
        for _ in range(n):
            titles.append(f"記事{next(counter)}")
            published(coordinator, member_a, org_a, title=titles[-1])

    assert_flat(client, reverse("news:list"), add)
    _assert_rows(client, reverse("news:list"), titles[-20:])


def test_member_news_list(coordinator, org_a, member_a, client):
    client.force_login(member_a)
    titles = []

    def add(n):
        for _ in range(n):
            titles.append(f"下書き{next(counter)}")
            submitted(member_a, org_a, title=titles[-1])

    assert_flat(client, reverse("news:manage_list"), add)
    _assert_rows(client, reverse("news:manage_list"), titles[-20:])


def test_coordinator_news_list_with_queue(coordinator, org_a, member_a, client):
    client.force_login(coordinator)
    titles = []

    def add(n):
        for _ in range(n):
            titles.append(f"確認待ち{next(counter)}")
            submitted(member_a, org_a, title=titles[-1])

    assert_flat(client, reverse("news:manage_list"), add)
    _assert_rows(client, reverse("news:manage_list"), titles)


def test_feed(coordinator, org_a, member_a, client):
    def add(n):
        for _ in range(n):
            published(coordinator, member_a, org_a, title=f"フィード{next(counter)}")

    assert_flat(client, reverse("news:feed"), add)


def _partner_entry(org_a, n):
    partner = PartnerFactory(name=f"支援団体{next(counter)}")
    staff = MembershipFactory(organization=partner).user
    entry = directory_services.entry_propose(
        actor=staff,
        organization=partner,
        data={"description": "居場所", "support_types": ["freespace", "social"], "areas": [org_a]},
        based_on_version=None,
    )
    return partner, entry


def test_partner_directory(coordinator, org_a, client):
    names = []

    def add(n):
        for _ in range(n):
            partner, entry = _partner_entry(org_a, n)
            directory_services.entry_approve(actor=coordinator, entry=entry, reviewed_version=entry.version)
            names.append(partner.name)

    assert_flat(client, reverse("directory:partner_list"), add)
    _assert_rows(client, reverse("directory:partner_list"), names)
    assert_flat(client, reverse("directory:partner_csv"), lambda n: None)


def test_review_list(coordinator, org_a, client):
    client.force_login(coordinator)
    names = []

    def add(n):
        for _ in range(n):
            partner, _entry = _partner_entry(org_a, n)
            names.append(partner.name)

    assert_flat(client, reverse("directory:review_list"), add)
    _assert_rows(client, reverse("directory:review_list"), names)


def test_institution_lists(coordinator, client):
    names = []

    def add(n):
        for _ in range(n):
            names.append(f"機関{next(counter)}")
            SupportInstitution.objects.create(category="youth", name=names[-1])

    assert_flat(client, reverse("directory:institution_list"), add)
    _assert_rows(client, reverse("directory:institution_list"), names)
    client.force_login(coordinator)
    assert_flat(client, reverse("directory:institution_manage"), add)
    _assert_rows(client, reverse("directory:institution_manage"), names)


def test_public_event_calendar(coordinator, org_a, member_a, client):
    titles = []

    def add(n):
        for _ in range(n):
            i = next(counter)
            start = timezone.now() + dt.timedelta(days=10 + i)
            fair = Event.objects.create(
                kind="fair",
                title=f"合同相談会{i}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=3),
                registration_deadline=start - dt.timedelta(days=2),
                audience=["partner"],
                created_by=coordinator,
            )
            ExhibitorApplication.objects.create(
                event=fair,
                organization=PartnerFactory(),
                offer="相談",
                status="approved",
                applied_by=coordinator,
            )
            post = services.post_create(actor=member_a, organization=org_a, data=event_data(title=f"催し{i}"))
            services.post_approve(actor=coordinator, post=services.post_submit(actor=member_a, post=post))
            titles.extend([fair.title, post.title])

    assert_flat(client, reverse("directory:event_calendar"), add)
    _assert_rows(client, reverse("directory:event_calendar"), titles)
    assert_flat(client, reverse("directory:event_calendar_ics"), lambda n: None)
