"""The demo respects the calendar the secretariat plans by: no training on 元日, no deadline on a
Sunday, no report due on a Saturday — whatever day `make run` is run on (here: the days around the
year's end and a Friday before a long weekend)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from portal.core.dates import is_business_day
from portal.subsidies.models import Call
from portal.training.models import Session

TOKYO = ZoneInfo("Asia/Tokyo")


def _day(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2026, 12, 4), dt.date(2026, 12, 24), dt.date(2027, 4, 28)])
def test_demo_dates_fall_on_business_days(today):
    with time_machine.travel(dt.datetime.combine(today, dt.time(10), tzinfo=TOKYO), tick=False):
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())

        planned = [("training session", s.starts_at) for s in Session.objects.all()]
        planned += [("training deadline", s.registration_deadline) for s in Session.objects.all()]
        planned += [("subsidy call closing", c.closes_at) for c in Call.objects.all()]
        planned += [("performance report due", c.report_due) for c in Call.objects.all()]
        wrong = [(what, _day(when)) for what, when in planned if when and not is_business_day(_day(when))]

    assert planned
    assert wrong == []
