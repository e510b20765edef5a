"""The expert's personal calendar feed costs the same queries for 1 and for many consultations, and
holds every one of them (the attendees are read for all rows at once, not once per row)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core import feeds
from portal.partners.models import Consultation

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 6, 3, 4, 0, tzinfo=dt.UTC)


def _consultations(lawyer, npo, staff, n, offset):
    for i in range(offset, offset + n):
        c = Consultation.objects.create(
            organization=npo,
            fiscal_year=2026,
            field="legal",
            topic=f"相続の相談{i:03d}",
            description="",
            format="online",
            expert=lawyer.user,
            starts_at=START + dt.timedelta(days=i),
            ends_at=START + dt.timedelta(days=i, hours=1),
            status="confirmed",
            requested_by=staff,
        )
        c.attendees.add(staff, MembershipFactory(organization=npo).user)


def _feed(client, url):
    feeds.renew_all()  # the cost of building the feed, not of answering from the kept copy
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@time_machine.travel(START - dt.timedelta(days=1), tick=False)  # the feed shows 90 days back and on
def test_expert_feed_queries_flat_with_every_consultation(client, lawyer, npo, npo_staff):
    url = reverse("core:calendar_feed", args=[feeds.feed_renew(actor=lawyer.user)])
    _consultations(lawyer, npo, npo_staff, 1, 0)
    client.get(url)  # warm process-wide caches
    one, one_queries = _feed(client, url)
    _consultations(lawyer, npo, npo_staff, 30, 1)
    many, many_queries = _feed(client, url)

    assert one.count("BEGIN:VEVENT") == 1 and "talent-bank-" in one
    assert many.count("BEGIN:VEVENT") == 31
    assert many.count("ATTENDEE") >= 62  # both attendees of every consultation
    assert one_queries == many_queries
