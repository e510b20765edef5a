import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.accounts.demo import seed_demo as seed_accounts
from portal.consultations.demo import DEMO_USER_NUMBER, seed_demo
from portal.consultations.models import Thread

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize("when", [(2026, 12, 31, 23, 59), (2027, 4, 1, 0, 5)])
def test_demo_resident_and_counsellor_can_use_mail_consultation(when):
    with time_machine.travel(dt.datetime(*when, tzinfo=TOKYO), tick=False):
        call_command("load_reference_data", stdout=io.StringIO())
        seed_accounts()
        seed_demo()
        seed_demo()
        assert Thread.objects.filter(status="waiting").count() == 1
        assert Thread.objects.filter(status="answered").count() == 1

        resident = Client()
        response = resident.post(
            reverse("consultations:sign_in"),
            {"user_number": "demq-7kxt-4h9p", "password": settings.DEMO_PASSWORD},
        )
        assert response.status_code == 302, DEMO_USER_NUMBER
        assert "外に出るのがこわいです" in resident.get(reverse("consultations:my_page")).content.decode()
