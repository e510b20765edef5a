"""Dates the programme writes for people (sheet answers, reminder subjects) carry the weekday."""

import datetime as dt

import pytest
from django.core import mail

from portal.municipalities import services
from portal.municipalities.templatetags.sheets import answer_text


def test_a_date_answer_reads_with_its_weekday():
    assert answer_text("2026-12-04", "date") == "令和8年12月4日（金）"


def test_a_date_answer_that_is_not_a_date_is_shown_as_typed():
    assert answer_text("来年の春", "date") == "来年の春"


@pytest.mark.django_db(transaction=True)
def test_deadline_reminder_subject_names_the_deadline_with_its_weekday(sheet, member_a):
    mail.outbox.clear()

    services.send_deadline_reminders(today=dt.date(2026, 12, 11))

    assert mail.outbox and all("令和8年12月18日（金）" in m.subject for m in mail.outbox)
