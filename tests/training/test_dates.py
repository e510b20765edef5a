"""Every date a coordinator picks for a training session is checked: no start or registration
deadline in the past; the message says which dates are possible and what was typed stays."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # 令和8年11月30日（月）10:00 in Tokyo


def _form(**overrides):
    data = {
        "label": "入力した回",
        "starts_at": "2026-12-20T14:00",
        "ends_at": "2026-12-20T16:00",
        "venue": "都庁",
        "capacity": 30,
        "opens_at": "2026-11-30T09:00",
        "audience": ["municipality"],
        "deadline_date": "2026-12-10",
        "deadline_time": "17:00",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {
                "starts_at": "2026-11-20T14:00",
                "ends_at": "2026-11-20T16:00",
                "opens_at": "2026-11-01T09:00",
                "deadline_date": "2026-11-15",
            },
            "開始日時は今（令和8年11月30日（月）10:00）より後の日時を選んでください。",
        ),
        (
            {"opens_at": "2026-11-01T09:00", "deadline_date": "2026-11-29"},
            "申込締切は、今（令和8年11月30日（月）10:00）から開始日時（令和8年12月20日（日）14:00）までの間で選んでください。",
        ),
    ],
)
def test_past_dates_are_refused_saying_which_are_possible(client, coordinator, intro, overrides, message):
    with time_machine.travel(NOW, tick=False):
        client.force_login(coordinator)
        response = client.post(reverse("training:session_create", args=[intro.pk]), _form(**overrides))
    html = response.content.decode()
    assert response.status_code in (200, 400) and not intro.sessions.exists()
    assert message in html
    assert "入力した回" in html  # nothing typed is lost


def test_future_dates_are_accepted(client, coordinator, intro):
    with time_machine.travel(NOW, tick=False):
        client.force_login(coordinator)
        response = client.post(reverse("training:session_create", args=[intro.pk]), _form())
    assert response.status_code == 302
    assert intro.sessions.get().label == "入力した回"
