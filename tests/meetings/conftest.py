import datetime as dt

import pytest
from django.utils import timezone

from portal.meetings import services


def make_event(coordinator, *, days=20, deadline_days=3, **overrides):
    """A meeting ``days`` from now, registration closing ``deadline_days`` before it."""
    start = timezone.now() + dt.timedelta(days=days)
    fields = {
        "kind": "supporters",
        "title": "令和8年度 第2回 支援者交流会",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "venue": "都庁会議室",
        "online_url": "",
        "audience": ["municipality"],
        "capacity": 2,
        "per_organization": 2,
        "registration_deadline": start - dt.timedelta(days=deadline_days),
        "description": "",
    }
    return services.event_create(actor=coordinator, **{**fields, **overrides})


@pytest.fixture
def event(coordinator):
    return make_event(coordinator)
