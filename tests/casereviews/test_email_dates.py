"""Dates in case-review email subjects and reminders carry the weekday."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal.casereviews import services
from portal.core.models import Notification, OutboundEmail

from .conftest import submitted_case

WITH_WEEKDAY = re.compile(r"令和\d+年\d+月\d+日（[月火水木金土日]）")


@pytest.mark.django_db
def test_meeting_invitation_and_change_subjects_name_the_day_with_its_weekday(
    coordinator, org_a, member_a, meeting, panel_expert
):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        based_on_version=meeting.version,
        starts_at=meeting.starts_at + dt.timedelta(hours=1),
        venue="会議室",
        online_url="",
        capacity=3,
        panel=[panel_expert],
    )

    subjects = list(OutboundEmail.objects.values_list("subject", flat=True))
    assert any(case.reference in s for s in subjects)
    dated = [s for s in subjects if re.search(r"令和\d+年\d+月\d+日", s)]
    assert dated and all(WITH_WEEKDAY.search(s) for s in dated), subjects


@pytest.mark.django_db
def test_meeting_reminder_names_the_day_with_its_weekday(coordinator, meeting, panel_expert):
    services.send_meeting_reminders(today=timezone.localtime(meeting.starts_at).date() - dt.timedelta(days=7))

    titles = list(Notification.objects.filter(user=panel_expert).values_list("title", flat=True))
    reminders = [t for t in titles if str(meeting) in t]
    assert reminders and all(WITH_WEEKDAY.search(t) for t in reminders), titles
