"""Scheduling in bulk: a series of meetings or training sessions by weekday pattern or list of
dates, public holidays skipped and shown before anything is created; copying a meeting."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from portal.core import series
from portal.meetings import services
from portal.meetings.models import Event, ProgrammeItem, Registration
from portal.training.models import Session

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _autumn_2026():
    """The series below lie in early 2027: the clock stands in November 2026, whenever this runs."""
    with time_machine.travel(dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)):
        yield


# Mondays of January 2027: the 11th is 成人の日.
SERIES = {
    "kind": "supporters",
    "title": "家族セミナー",
    "area": "",
    "audience": ["municipality"],
    "per_organization": "5",
    "description": "",
    "pattern": "weekly",
    "weekday": "0",
    "first_date": "2027-01-01",
    "last_date": "2027-01-31",
    "listed_dates": "",
    "start_time": "14:00",
    "end_time": "16:00",
    "deadline_days": "7",
    "venue": "都庁会議室",
    "online_url": "https://meet.example.jp/family",
    "capacity": "15",
    "online_capacity": "",
    "online_unlimited": "on",
}


def test_weekday_patterns_and_holidays():
    monthly = series.pattern_days(
        pattern=series.MONTHLY, first=dt.date(2026, 12, 1), last=dt.date(2027, 3, 31), weekday=1, nth=2
    )
    plan = series.plan(
        series.pattern_days(
            pattern=series.WEEKLY, first=dt.date(2027, 1, 1), last=dt.date(2027, 1, 31), weekday=0
        )
    )

    assert monthly == [dt.date(2026, 12, 8), dt.date(2027, 1, 12), dt.date(2027, 2, 9), dt.date(2027, 3, 9)]
    assert [d.day.day for d in plan] == [4, 11, 18, 25]
    assert [d.holiday for d in plan if d.skipped] == ["成人の日"]
    assert plan[1].label == "令和9年1月11日（月）"


def test_series_shows_every_date_first_and_skips_the_holiday(coordinator, client):
    client.force_login(coordinator)
    url = reverse("meetings:event_series")

    preview = client.post(url, SERIES)

    body = preview.content.decode()
    assert preview.status_code == 200 and not Event.objects.exists(), "nothing is created before confirming"
    assert "令和9年1月11日（月）" in body and "成人の日" in body and "作成しません" in body
    assert "令和9年1月4日（月）" in body and "令和9年1月25日（月）" in body

    created = client.post(url, {**SERIES, "confirmed": "1"})

    assert created.status_code == 302
    days = [timezone_day(e.starts_at) for e in Event.objects.order_by("starts_at")]
    assert days == [dt.date(2027, 1, 4), dt.date(2027, 1, 18), dt.date(2027, 1, 25)]
    first = Event.objects.order_by("starts_at").first()
    assert first.online_capacity is None and first.capacity == 15
    assert timezone_day(first.registration_deadline) == dt.date(2026, 12, 28)


def timezone_day(when):
    from django.utils import timezone

    return timezone.localtime(when).date()


def test_series_from_a_list_of_dates_and_back_keeps_what_was_typed(coordinator, client):
    client.force_login(coordinator)
    data = {
        **SERIES,
        "pattern": "listed",
        "listed_dates": "令和9年2月11日\n２０２７/２/１７",
        "title": "交流会A",
    }

    back = client.post(reverse("meetings:event_series"), {**data, "back": "1"})
    preview = client.post(reverse("meetings:event_series"), data).content.decode()

    assert "交流会A" in back.content.decode() and not Event.objects.exists()
    assert "建国記念の日" in preview and "令和9年2月17日（水）" in preview


def test_series_with_a_bad_date_keeps_the_input_and_says_why(coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("meetings:event_series"), {**SERIES, "pattern": "listed", "listed_dates": "2027-13-01"}
    )

    body = response.content.decode()
    assert response.status_code == 400 and "error-summary" in body and "2027-13-01" in body


def test_training_series_skips_holidays(coordinator, client):
    from portal.training.models import Course

    course = Course.objects.get(fiscal_year=2025, code="supporters-intro")
    client.force_login(coordinator)
    data = {
        **{
            k: v
            for k, v in SERIES.items()
            if k not in ("kind", "title", "area", "per_organization", "description")
        },
        "label": "",
        "notes": "",
        "confirmed": "1",
    }

    response = client.post(reverse("training:session_series", args=[course.pk]), data)

    assert response.status_code == 302
    sessions = list(Session.objects.filter(course=course).order_by("starts_at"))
    assert [timezone_day(s.starts_at) for s in sessions] == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 18),
        dt.date(2027, 1, 25),
    ]
    assert [s.label for s in sessions] == ["第1回", "第2回", "第3回"]
    assert all(s.online_capacity is None for s in sessions)


def test_copy_takes_settings_and_programme_but_no_registrations(coordinator, admin_a, client):
    event = make_event(coordinator, capacity=15, online_capacity=40)
    ProgrammeItem.objects.create(event=event, kind="talk", title="講義", order=1)
    services.register(actor=admin_a, event=event, mode="online")
    client.force_login(coordinator)
    new_day = (event.starts_at + dt.timedelta(days=28)).date()

    response = client.post(
        reverse("meetings:event_copy", args=[event.pk]), {"day": new_day, "start_time": "14:00"}
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302 and response.url == reverse("meetings:event_edit", args=[copy.pk])
    assert (copy.title, copy.capacity, copy.online_capacity) == (event.title, 15, 40)
    assert list(copy.programme.values_list("title", flat=True)) == ["講義"]
    assert not Registration.objects.filter(event=copy).exists()
    assert copy.ends_at - copy.starts_at == event.ends_at - event.starts_at
    assert copy.starts_at - copy.registration_deadline == event.starts_at - event.registration_deadline


def test_copy_to_a_past_date_is_refused(coordinator, client):
    event = make_event(coordinator)
    client.force_login(coordinator)

    response = client.post(
        reverse("meetings:event_copy", args=[event.pk]), {"day": "2020-01-06", "start_time": "14:00"}
    )

    assert response.status_code == 400 and Event.objects.count() == 1
