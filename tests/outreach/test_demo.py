import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from portal.accounts.demo import seed_demo as seed_accounts
from portal.outreach.demo import seed_demo
from portal.outreach.models import OutreachHost, SlotBooking, VisitReferral

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize("when", [(2026, 11, 30, 23, 59), (2027, 3, 31, 23, 30), (2027, 4, 1, 0, 5)])
def test_outreach_demo_loads_at_any_hour_and_twice(when):
    with time_machine.travel(dt.datetime(*when, tzinfo=TOKYO), tick=False):
        call_command("load_reference_data", stdout=io.StringIO())
        seed_accounts()
        seed_demo()
        seed_demo()
    assert OutreachHost.objects.filter(status="published", organization__name="八王子市").exists()
    assert SlotBooking.objects.filter(status="confirmed").count() == 2
    assert set(VisitReferral.objects.values_list("status", flat=True)) == {"submitted", "interview"}
