"""Choosing a time: the slot picker shows a week at a time, grouped by day with the weekday, filtered
by field and expert; preferred dates must leave the secretariat enough notice."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.partners import services
from portal.partners.models import Consultation, WeeklyHours

from ..factories import ExpertProfileFactory
from .conftest import NOW

URL = reverse("partners:slot_list")


@pytest.fixture
def second_lawyer(db):
    profile = ExpertProfileFactory(
        user__display_name="二番目 弁護士", panel_discipline="", talent_bank_discipline="legal"
    )
    schedule = services.schedule_for(profile)
    WeeklyHours.objects.create(schedule=schedule, weekday=3, start=dt.time(10), end=dt.time(11))  # Thursdays
    return profile


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_slot_picker_shows_one_week_grouped_by_day_with_weekday(lawyer, second_lawyer, npo_staff, client):
    client.force_login(npo_staff)

    page = client.get(URL, {"field": "legal"}).content.decode()

    # Monday 1 June is inside the notice: Wednesday 3 June (lawyer) and Thursday 4 June (second lawyer).
    assert '<h2 id="day-1"><time datetime="2026-06-03">令和8年6月3日（水）</time></h2>' in page
    assert '<time datetime="2026-06-04">令和8年6月4日（木）</time>' in page
    assert page.index("令和8年6月3日（水）</time></h2>") < page.index("令和8年6月4日（木）</time></h2>")
    assert "13:00–14:00" in page and "10:00–11:00 二番目 弁護士" in page
    assert "2026-06-08" not in page.split("次の週")[-1]  # next Monday's slots are on the next page
    assert "week=2026-06-08" in page and "前の週" not in page


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_slot_picker_next_week_and_expert_filter(lawyer, second_lawyer, npo_staff, client):
    client.force_login(npo_staff)

    next_week = client.get(URL, {"field": "legal", "week": "2026-06-08"}).content.decode()
    only_second = client.get(URL, {"field": "legal", "expert": second_lawyer.pk}).content.decode()

    assert "令和8年6月8日（月）" in next_week and "令和8年6月3日（水）" not in next_week
    assert "week=2026-06-01" in next_week  # the way back
    assert "令和8年6月4日（木）" in only_second and "令和8年6月3日（水）" not in only_second
    assert f'name="expert" value="{lawyer.pk}"' not in only_second


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_slot_picker_refuses_an_expert_of_another_field(lawyer, npo_staff, client):
    client.force_login(npo_staff)
    assert client.get(URL, {"field": "medical", "expert": lawyer.pk}).status_code == 404


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 5, 29),  # past
        dt.date(2026, 6, 2),  # only one business day ahead
        dt.date(2026, 6, 6),  # a Saturday
        dt.date(2026, 7, 20),  # 海の日
    ],
)
def test_preferred_dates_need_two_business_days_and_a_weekday(npo, npo_staff, client, day):
    client.force_login(npo_staff)
    data = {
        "field": "legal",
        "topic": "契約書の確認",
        "description": "会計の進め方について",
        "format": "online",
        "attendees": [npo_staff.pk],
        "preferred_1": day.isoformat(),
    }

    response = client.post(reverse("partners:consultation_create"), data)
    page = response.content.decode()

    assert response.status_code == 200 and Consultation.objects.count() == 0
    assert "希望日は令和8年6月3日（水）以降の平日を選んでください" in page
    assert 'value="契約書の確認"' in page and "会計の進め方について" in page
    with pytest.raises(ValidationError):
        services.request_create(
            actor=npo_staff,
            organization=npo,
            field="legal",
            topic="契約書の確認",
            description="会計の進め方について",
            fmt="online",
            attendees=[npo_staff],
            preferred_dates=[day],
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_preferred_date_two_business_days_ahead_is_accepted(npo, npo_staff, client):
    client.force_login(npo_staff)
    response = client.post(
        reverse("partners:consultation_create"),
        {
            "field": "legal",
            "topic": "契約書の確認",
            "description": "会計の進め方について",
            "format": "online",
            "attendees": [npo_staff.pk],
            "preferred_1": "2026-06-03",
        },
    )
    assert response.status_code == 302
    assert Consultation.objects.get().preferred_dates == ["2026-06-03"]
