"""Published touring-consultation days are in the public events calendar (page and ICS); days of a
host that is only proposed are not."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from portal.outreach import services

from .conftest import plan_dates

pytestmark = pytest.mark.django_db


def test_published_days_are_in_the_public_calendar_and_its_ics(client, coordinator, plan, published, org_b):
    services.host_add(actor=coordinator, plan=plan, organization=org_b, dates=plan_dates(offset=1))

    html = client.get(reverse("directory:event_calendar")).content.decode()
    calendar = Calendar.from_ical(client.get(reverse("directory:event_calendar_ics")).content)

    assert html.count(f"巡回相談（{published.organization}）") == 2
    assert str(org_b) not in html
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert summaries == [f"巡回相談（{published.organization}）"] * 2
