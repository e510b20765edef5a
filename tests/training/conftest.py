import contextlib
import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from portal.training import services
from portal.training.models import Course


@pytest.fixture
def intro(db):
    """ひきこもり概論 of the shipped 令和7年度 catalogue."""
    return Course.objects.get(fiscal_year=2025, code="supporters-intro")


@pytest.fixture
def case_study(db):
    """事例検討: needs 概論 first."""
    return Course.objects.get(fiscal_year=2025, code="supporters-case-study")


def make_session(actor, course, *, capacity=2, days=20, deadline_days=3, **extra):
    start = timezone.now() + dt.timedelta(days=days)
    fields = {
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "venue": "都庁第一本庁舎 会議室",
        "capacity": capacity,
        "opens_at": timezone.now() - dt.timedelta(days=1),
        "registration_deadline": start - dt.timedelta(days=deadline_days),
    }
    fields.update(extra)
    return services.session_create(actor=actor, course=course, **fields)


@pytest.fixture
def session(coordinator, intro):
    return make_session(coordinator, intro)


@contextlib.contextmanager
def after(session):
    """The clock an hour after ``session`` ended: attendance and certificates are possible."""
    with time_machine.travel(session.ends_at + dt.timedelta(hours=1), tick=False):
        yield
