import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.accounts.demo import seed_demo as seed_accounts
from portal.subsidies.demo import seed_demo
from portal.subsidies.models import Application

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2026, 11, 30, 23, 59, tzinfo=TOKYO), dt.datetime(2027, 3, 31, 16, 59, tzinfo=TOKYO)],
)
def test_demo_has_a_second_year_municipality_and_a_draft_and_loads_twice(moment):
    with time_machine.travel(moment, tick=False):
        seed_accounts()
        seed_demo()
        seed_demo()

    second = Application.objects.get(organization__name="八王子市", status="submitted")
    assert second.year_number == 2
    assert Application.objects.filter(organization__name="八王子市", status="final").count() == 1
    assert Application.objects.filter(organization__name="文京区", status="draft").count() == 1
