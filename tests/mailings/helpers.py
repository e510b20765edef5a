"""Objects the permission matrix asks for (tests/test_permission_matrix.py, block "mailings")."""

import datetime as dt

from django.utils import timezone

from portal.mailings import services
from portal.mailings.models import Mailing
from portal.meetings import services as meetings

SUBJECT = "マトリクス確認のお知らせ"


def organisations_mailing(w) -> Mailing:
    return services.mailing_create(
        actor=w.coordinator,
        source=Mailing.Source.ORGANIZATIONS,
        audience={"kinds": ["municipality"]},
        subject=SUBJECT,
        body="{氏名}様",
    )


def mailing_pk(w) -> dict:
    return {"pk": organisations_mailing(w).pk}


def listed(w) -> dict:
    """The list page has no parameter; a draft is written first so that it has a row to show."""
    organisations_mailing(w)
    return {}


def event_source(w) -> dict:
    start = timezone.now() + dt.timedelta(days=20)
    event = meetings.event_create(
        actor=w.coordinator,
        kind="supporters",
        title="交流会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="都庁",
        online_url="",
        audience=["municipality"],
        capacity=10,
        per_organization=5,
        registration_deadline=start - dt.timedelta(days=3),
        description="",
    )
    return {"source": "event", "pk": event.pk}
