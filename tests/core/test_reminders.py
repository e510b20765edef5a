"""Reminders "N days before" are not lost when the worker was down on their day: each app's task
sends the nearest missed one late (once, with the true number of days), never two in one run, and
nothing on or after the day itself."""

import datetime as dt

import pytest
from django.utils import timezone

from portal.core import reminders
from portal.core.models import OutboundEmail
from portal.subsidies import services as subsidies
from portal.training import services as training

from ..subsidies.conftest import draft, make_call
from ..training.conftest import intro as intro  # noqa: F401 -- a fixture, used by name
from ..training.conftest import make_session

SCHEDULE = ((7, "d7"), (1, "d1"))
DAY = dt.date(2026, 12, 20)


@pytest.mark.parametrize(
    ("today", "sent", "expected"),
    [
        (DAY - dt.timedelta(days=8), [], None),  # too early
        (DAY - dt.timedelta(days=7), [], ("d7", 7, ["d7"])),  # on time
        (DAY - dt.timedelta(days=5), [], ("d7", 5, ["d7"])),  # the worker was down: late
        (DAY - dt.timedelta(days=5), ["d7"], None),  # sent already
        (DAY - dt.timedelta(days=1), [], ("d1", 1, ["d1", "d7"])),  # both missed: the nearest only
        (DAY - dt.timedelta(days=1), ["d7"], ("d1", 1, ["d1", "d7"])),
        (DAY, [], None),  # never on the day itself
        (DAY + dt.timedelta(days=1), [], None),  # nor after it
    ],
)
def test_due_sends_the_nearest_missed_reminder_once(today, sent, expected):
    assert reminders.due(SCHEDULE, day=DAY, today=today, sent=sent) == expected


@pytest.mark.django_db
def test_training_reminder_missed_on_its_day_is_sent_late_once(coordinator, intro, member_a):
    session = make_session(coordinator, intro, days=10, deadline_days=1)
    training.register(actor=member_a, session=session)
    day = timezone.localdate(session.starts_at)
    before = OutboundEmail.objects.count()

    assert training.send_reminders(today=day - dt.timedelta(days=5)) == 1  # the 7-day one, late
    assert training.send_reminders(today=day - dt.timedelta(days=4)) == 0
    assert training.send_reminders(today=day - dt.timedelta(days=1)) == 1  # the 1-day one
    assert training.send_reminders(today=day) == 0

    subjects = list(OutboundEmail.objects.order_by("pk").values_list("subject", flat=True)[before:])
    assert len(subjects) == 2 and "あと5日" in subjects[0] and "あと1日" in subjects[1]


@pytest.mark.django_db
def test_subsidy_closing_reminder_missed_on_its_day_is_sent_late(coordinator, org_a, member_a):
    call = make_call(coordinator, 2026)
    draft(call, org_a, member_a)
    close_day = timezone.localdate(call.closes_at)

    assert subsidies.send_reminders(close_day - dt.timedelta(days=6)) == 1  # the 7-day one, a day late
    assert subsidies.send_reminders(close_day - dt.timedelta(days=5)) == 0
    assert subsidies.send_reminders(close_day - dt.timedelta(days=1)) == 1
    assert subsidies.send_reminders(close_day) == 0
