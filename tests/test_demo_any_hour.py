"""The demo must load whatever the hour: `make run` runs it on a fresh machine at any time of day."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from portal.meetings.models import Event

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize("hour,minute", [(0, 5), (9, 0), (16, 59), (23, 30), (23, 59)])
def test_seed_demo_loads_at_any_hour(hour, minute):
    with time_machine.travel(dt.datetime(2026, 11, 30, hour, minute, tzinfo=TOKYO), tick=False):
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    assert Event.objects.filter(title="令和8年度 連携団体交流会").exists()
