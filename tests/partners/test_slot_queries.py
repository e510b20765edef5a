"""The slot list of a field costs the same queries for one expert and for many, each with weekly hours
and exceptions; without a week it opens on the first week that has a free slot."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.partners import services
from portal.partners.models import AvailabilityException, WeeklyHours

from ..factories import ExpertProfileFactory
from .conftest import NOW

URL = reverse("partners:slot_list")
pytestmark = pytest.mark.django_db


def _experts(n, offset):
    for i in range(offset, offset + n):
        profile = ExpertProfileFactory(
            user__display_name=f"弁護士{i:03d}", panel_discipline="", talent_bank_discipline="legal"
        )
        schedule = services.schedule_for(profile)
        for weekday in range(5):
            WeeklyHours.objects.create(schedule=schedule, weekday=weekday, start=dt.time(10), end=dt.time(12))
        AvailabilityException.objects.create(schedule=schedule, date=dt.date(2026, 6, 5), kind="closed")


def _queries(client, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_slot_list_queries_flat_with_every_expert(npo_staff, client):
    client.force_login(npo_staff)
    _experts(1, 0)
    client.get(URL, {"field": "legal"})  # warm process-wide caches
    one, one_queries = _queries(client, {"field": "legal"})
    _experts(30, 1)
    many, many_queries = _queries(client, {"field": "legal"})

    assert "弁護士000" in one and "弁護士030" in many
    assert "2026-06-05" not in many  # every expert's day off
    assert one_queries == many_queries


@time_machine.travel(NOW, tick=False)
def test_slot_list_without_a_week_opens_on_the_first_week_with_a_free_slot(npo_staff, client):
    client.force_login(npo_staff)
    profile = ExpertProfileFactory(panel_discipline="", talent_bank_discipline="legal")
    schedule = services.schedule_for(profile)
    day = dt.date(2026, 6, 24)  # a Wednesday three weeks ahead: the only opening
    AvailabilityException.objects.create(
        schedule=schedule, date=day, kind="open", start=dt.time(10), end=dt.time(11)
    )

    page = client.get(URL, {"field": "legal"}).content.decode()

    assert '<time datetime="2026-06-24">' in page and "10:00–11:00" in page
    assert "week=2026-06-15" in page and "week=2026-06-29" in page  # the way back and on
