"""Every date a coordinator picks for a meeting is checked: no start or registration deadline in
the past; the message says which dates are possible and what was typed stays."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.meetings import services
from portal.meetings.models import Event

from .conftest import make_event

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # 令和8年11月30日（月）10:00 in Tokyo


def _form(**overrides):
    data = {
        "kind": "supporters",
        "title": "入力した交流会",
        "starts_at": "2026-12-20T14:00",
        "ends_at": "2026-12-20T16:00",
        "audience": ["municipality"],
        "capacity": 30,
        "per_organization": 5,
        "deadline_date": "2026-12-10",
        "deadline_time": "17:00",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"starts_at": "2026-11-20T14:00", "ends_at": "2026-11-20T16:00", "deadline_date": "2026-11-15"},
            "開始日時は今（令和8年11月30日（月）10:00）より後の日時を選んでください。",
        ),
        (
            {"deadline_date": "2026-11-29"},
            "申込締切は、今（令和8年11月30日（月）10:00）から開始日時（令和8年12月20日（日）14:00）までの間で選んでください。",
        ),
    ],
)
def test_past_dates_are_refused_saying_which_are_possible(client, coordinator, overrides, message):
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("meetings:event_create"), _form(**overrides))
    html = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert message in html
    assert "入力した交流会" in html  # nothing typed is lost


def test_future_dates_are_accepted(client, coordinator):
    client.force_login(coordinator)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("meetings:event_create"), _form())
    assert response.status_code == 302
    assert Event.objects.get().title == "入力した交流会"


def test_editing_a_meeting_whose_deadline_passed_keeps_that_date(client, coordinator):
    event = make_event(coordinator, days=10, deadline_days=3)
    local = timezone.localtime
    data = {
        "version": event.version,
        "kind": event.kind,
        "title": event.title,
        "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": event.venue,
        "audience": event.audience,
        "capacity": event.capacity,
        "per_organization": event.per_organization,
        "deadline_date": local(event.registration_deadline).date().isoformat(),
        "deadline_time": local(event.registration_deadline).strftime("%H:%M:%S.%f"),
        "description": "会場の案内を追記しました",
    }
    with time_machine.travel(event.registration_deadline + dt.timedelta(days=1), tick=False):
        client.force_login(coordinator)
        response = client.post(reverse("meetings:event_edit", args=[event.pk]), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        data["deadline_date"] = (local(event.registration_deadline) - dt.timedelta(days=1)).date().isoformat()
        data["version"] = event.version + 1
        moved = client.post(reverse("meetings:event_edit", args=[event.pk]), data)
    assert moved.status_code == 200 and "申込締切は" in moved.content.decode()  # a changed date is checked
    event.refresh_from_db()
    assert event.description == "会場の案内を追記しました"


def test_proposal_for_a_meeting_that_has_started_is_refused(coordinator, member_a):
    event = make_event(coordinator, days=10, deadline_days=3)
    services.register(actor=member_a, event=event)
    started = event.starts_at + dt.timedelta(minutes=1)
    with time_machine.travel(started, tick=False), pytest.raises(ValidationError) as refused:
        services.propose(actor=member_a, event=event, title="事例", summary="訪問支援の工夫")
    assert "開始" in refused.value.messages[0]
