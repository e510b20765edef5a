"""A publication date makes only an approved post public: posts awaiting review, returned or not
published stay off every public page (list, page, feed, events) after their date has come."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from portal.news import selectors, services

from .conftest import draft, event_data, published, submitted

pytestmark = pytest.mark.django_db


def test_posts_not_approved_stay_private_once_their_date_comes(coordinator, org_a, member_a, client):
    start = timezone.now() + dt.timedelta(days=1)
    waiting = submitted(member_a, org_a, title="審査待ちの記事", publish_from=start)
    rejected = services.post_reject(
        actor=coordinator,
        post=submitted(member_a, org_a, title="不掲載の記事", publish_from=start),
        comment="対象外",
    )
    returned = services.post_return(
        actor=coordinator,
        post=submitted(member_a, org_a, title="差し戻しの記事", publish_from=start),
        comment="追記を",
    )
    unsent = draft(member_a, org_a, title="下書きの記事", publish_from=start)
    approved = published(coordinator, member_a, org_a, title="承認済みの記事", publish_from=start)
    hidden = [waiting, rejected, returned, unsent]

    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        public = {p.pk for p in selectors.public_list()}
        feed = client.get(reverse("news:feed")).content.decode()
        listing = client.get(reverse("news:list")).content.decode()
        pages = {p.title: client.get(reverse("news:detail", args=[p.pk])).status_code for p in hidden}

    assert public == {approved.pk}
    assert "承認済みの記事" in feed and "承認済みの記事" in listing
    for post in hidden:
        assert post.title not in feed and post.title not in listing, post.title
    assert pages == {p.title: 404 for p in hidden}


def test_events_not_approved_stay_off_the_public_calendar_once_their_date_comes(coordinator, org_a, member_a):
    start = timezone.now() + dt.timedelta(days=1)
    waiting = submitted(member_a, org_a, **{**event_data(title="審査待ちの催し"), "publish_from": start})
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        upcoming = list(selectors.upcoming_events())
        urgent = list(selectors.urgent_notices())
    assert waiting.pk not in {p.pk for p in upcoming} | {p.pk for p in urgent}
