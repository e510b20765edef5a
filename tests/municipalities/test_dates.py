"""Dates people pick for the exchange are checked against what is possible: not past, enough
notice, a business day (jpholiday); the message says which dates can be chosen."""

import datetime as dt

import jpholiday
import pytest
from django.urls import reverse
from django.utils import timezone

from portal.core.dates import add_business_days
from portal.municipalities.forms import day_label


def _next_holiday_on_a_weekday(after):
    day = after
    while not (jpholiday.is_holiday(day) and day.weekday() < 5):
        day += dt.timedelta(days=1)
    return day


@pytest.mark.django_db
@pytest.mark.parametrize(
    "pick",
    [
        lambda today: today - dt.timedelta(days=1),  # past
        lambda today: add_business_days(today, 2),  # too little notice
        lambda today: _next_holiday_on_a_weekday(add_business_days(today, 6)),  # national holiday
    ],
    ids=["past", "short-notice", "holiday"],
)
def test_preferred_date_that_cannot_be_chosen_is_refused_with_the_possible_dates(
    sheet, member_a, client, pick
):
    today = timezone.localdate()
    day = pick(today)
    client.force_login(member_a)

    response = client.post(
        reverse("municipalities:sheet_edit", args=[sheet.pk]),
        {
            "version": sheet.version,
            "q_department": "福祉部",
            "q_preferred_date_1": day.isoformat(),
            "action": "save",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{day_label(day)}は選べません。{day_label(add_business_days(today, 5))}以降の平日から" in page
    assert 'value="福祉部"' in page  # what was typed is kept
    sheet.refresh_from_db()
    assert "preferred_date_1" not in sheet.answers


@pytest.mark.django_db
def test_preferred_date_with_enough_notice_on_a_business_day_is_saved(sheet, member_a, client):
    day = add_business_days(timezone.localdate(), 7)
    client.force_login(member_a)

    client.post(
        reverse("municipalities:sheet_edit", args=[sheet.pk]),
        {"version": sheet.version, "q_preferred_date_1": day.isoformat(), "action": "save"},
    )

    sheet.refresh_from_db()
    assert sheet.answers["preferred_date_1"] == day.isoformat()


@pytest.mark.django_db
def test_exchange_on_a_past_day_is_refused(sheet, coordinator, admin_a, client):
    day = timezone.localdate() - dt.timedelta(days=3)
    client.force_login(coordinator)

    response = client.post(
        reverse("municipalities:session_create", args=[sheet.pk]),
        {
            "date": day.isoformat(),
            "start_time": "14:00",
            "end_time": "15:00",
            "meeting_url": "https://meet.example.jp/x",
            "participants": [admin_a.pk],
        },
    )

    assert response.status_code == 200
    assert f"{day_label(day)}は選べません。" in response.content.decode()
    assert not sheet.sessions.exists()


def _complete_answers(sheet):
    day = add_business_days(timezone.localdate(), 8)
    return {
        "version": sheet.version,
        "q_windows": "ひきこもり相談窓口",
        "q_department": "福祉部",
        "q_agencies": ["社会福祉協議会"],
        "q_consultations_total": "120",
        "q_challenges": "長期化",
        "q_preferred_date_1": day.isoformat(),
    }


@pytest.mark.django_db
def test_submitting_a_sheet_asks_for_confirmation_and_freezes_only_after_it(sheet, member_a, client):
    from portal.municipalities.models import HearingSheet

    client.force_login(member_a)
    url = reverse("municipalities:sheet_edit", args=[sheet.pk])

    confirm = client.post(url, {**_complete_answers(sheet), "action": "submit"})

    page = confirm.content.decode()
    assert confirm.status_code == 200
    assert "事前ヒアリングシートを提出しますか？" in page and "編集できなくなります" in page
    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.DRAFT and sheet.answers["department"] == "福祉部"

    done = client.post(url, {"version": sheet.version, "action": "confirm_submit"})

    assert done.status_code == 302 and done.url == reverse("municipalities:sheet_detail", args=[sheet.pk])
    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.SUBMITTED and sheet.revisions.count() == 1
    assert sheet.answers["department"] == "福祉部"


@pytest.mark.django_db
def test_confirming_a_stale_sheet_submits_nothing(sheet, member_a, admin_a, client):
    from portal.municipalities import services
    from portal.municipalities.models import HearingSheet

    client.force_login(member_a)
    url = reverse("municipalities:sheet_edit", args=[sheet.pk])
    client.post(url, {**_complete_answers(sheet), "action": "submit"})
    sheet.refresh_from_db()
    seen = sheet.version
    services.sheet_save(
        actor=admin_a, sheet=sheet, answers={**sheet.answers, "challenges": "別の人"}, based_on_version=seen
    )

    client.post(url, {"version": seen, "action": "confirm_submit"})

    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.DRAFT
