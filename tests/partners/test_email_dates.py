"""Dates in talent-bank email subjects carry the weekday, like every date people read."""

import re

import pytest
import time_machine

from portal.core.models import OutboundEmail
from portal.partners import services

from .conftest import NOW

WITH_WEEKDAY = re.compile(r"令和\d+年\d+月\d+日（[月火水木金土日]）")


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_confirmation_subject_names_the_day_with_its_weekday(lawyer, npo, npo_staff, coordinator):
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    c = services.request_create(
        actor=npo_staff,
        organization=npo,
        field="legal",
        topic="契約書の確認",
        description="会計の進め方について",
        fmt="online",
        attendees=[npo_staff],
        hold=held,
    )

    services.consultation_confirm(actor=coordinator, consultation=c)

    subjects = list(OutboundEmail.objects.filter(to=npo_staff.email).values_list("subject", flat=True))
    assert subjects and all(WITH_WEEKDAY.search(s) for s in subjects), subjects
