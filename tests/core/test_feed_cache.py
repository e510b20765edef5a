"""Personal calendar feeds as calendar apps poll them: a bounded window (90 days back and the
future), ETag / Last-Modified answered 304 at the cost of the token's lookup, and a kept body that
is built again as soon as a row it shows changes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from portal.casereviews import services as casereview_services
from portal.casereviews.models import Meeting
from portal.core import feeds

pytestmark = pytest.mark.django_db


def _meeting(number, starts_at, **fields):
    return Meeting.objects.create(fiscal_year=2026, number=number, starts_at=starts_at, **fields)


def _url(user):
    return f"/calendar/feed/{feeds.feed_renew(actor=user)}.ics"


def _uids(response):
    return sorted(str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT"))


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def test_feed_shows_ninety_days_back_and_everything_to_come(client, coordinator):
    now = timezone.now()
    too_old = _meeting(1, feeds.window_start(now) - dt.timedelta(minutes=1))
    first_day = _meeting(2, feeds.window_start(now))
    recent = _meeting(3, now - dt.timedelta(days=89))
    far_ahead = _meeting(4, now + dt.timedelta(days=400))

    response = client.get(_url(coordinator))

    assert response.status_code == 200
    assert _uids(response) == sorted(
        f"casereview-{m.pk}@hikikomori-portal" for m in (first_day, recent, far_ahead)
    )
    assert f"casereview-{too_old.pk}@" not in response.content.decode()
    assert feeds.window_start(now).date() == timezone.localdate(now) - dt.timedelta(days=90)


def test_a_repeated_poll_is_answered_304_with_the_token_lookup_alone(client, coordinator):
    _meeting(1, timezone.now() + dt.timedelta(days=10))
    url = _url(coordinator)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "private, no-cache"

    by_etag, etag_queries = _get(client, url, if_none_match=first["ETag"])
    by_date, date_queries = _get(client, url, if_modified_since=first["Last-Modified"])

    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert etag_queries <= 2 and date_queries <= 2


def test_a_poll_without_validators_gets_the_kept_body_without_building_it(client, coordinator):
    _meeting(1, timezone.now() + dt.timedelta(days=10))
    url = _url(coordinator)
    built, build_queries = _get(client, url)

    kept, kept_queries = _get(client, url)

    assert kept.status_code == 200 and kept.content == built.content and kept["ETag"] == built["ETag"]
    assert kept_queries <= 2 < build_queries


def test_a_changed_meeting_shows_in_the_next_poll(client, coordinator):
    meeting = _meeting(1, timezone.now() + dt.timedelta(days=10), venue="会議室A")
    url = _url(coordinator)
    first = client.get(url)
    assert "会議室A" in first.content.decode()

    casereview_services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        based_on_version=meeting.version,
        starts_at=meeting.starts_at,
        venue="会議室B",
        online_url="",
        capacity=3,
        panel=[],
    )
    polled = client.get(url, headers={"if_none_match": first["ETag"]})

    assert polled.status_code == 200 and polled["ETag"] != first["ETag"]
    assert "会議室B" in polled.content.decode() and "会議室A" not in polled.content.decode()


def test_joining_a_panel_shows_in_the_experts_next_poll(client, coordinator, expert):
    meeting = _meeting(1, timezone.now() + dt.timedelta(days=10))
    url = _url(expert)
    first = client.get(url)
    assert _uids(first) == []

    meeting.panel.add(expert)  # a many-to-many change, no row of the meeting saved
    polled = client.get(url, headers={"if_none_match": first["ETag"]})

    assert polled.status_code == 200
    assert _uids(polled) == [f"casereview-{meeting.pk}@hikikomori-portal"]


def test_an_ended_feed_answers_404_even_when_its_body_is_kept(client, coordinator):
    _meeting(1, timezone.now() + dt.timedelta(days=10))
    url = _url(coordinator)
    first = client.get(url)

    feeds.feed_revoke(actor=coordinator)

    assert client.get(url, headers={"if_none_match": first["ETag"]}).status_code == 404
    assert client.get(url).status_code == 404
