import datetime as dt

import pytest
from django.utils import timezone

from portal.meetings import services


@pytest.fixture
def event(coordinator):
    start = timezone.now() + dt.timedelta(days=20)
    return services.event_create(
        actor=coordinator,
        kind="supporters",
        title="令和8年度 第2回 支援者交流会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        venue="都庁会議室",
        online_url="",
        audience=["municipality"],
        capacity=2,
        per_organization=2,
        registration_deadline=start - dt.timedelta(days=3),
        description="",
    )
