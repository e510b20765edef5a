import datetime as dt

import pytest
from django.utils import timezone

from portal.mailings import selectors, services
from portal.mailings.models import Mailing
from portal.meetings import services as meetings

from ..factories import MembershipFactory


def make_event(coordinator, *, capacity=30, **overrides):
    start = timezone.now() + dt.timedelta(days=20)
    fields = {
        "kind": "supporters",
        "title": "令和8年度 第2回 支援者交流会",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "venue": "都庁会議室",
        "online_url": "",
        "audience": ["municipality"],
        "capacity": capacity,
        "per_organization": 50,
        "registration_deadline": start - dt.timedelta(days=3),
        "description": "",
    }
    return meetings.event_create(actor=coordinator, **{**fields, **overrides})


def registered(event, organization, n=1, **user):
    """``n`` new staff of ``organization`` registered for ``event`` (seat or waiting list)."""
    people = []
    for _ in range(n):
        person = MembershipFactory(
            organization=organization, **{f"user__{k}": v for k, v in user.items()}
        ).user
        meetings.register(actor=person, event=event)
        people.append(person)
    return people


@pytest.fixture
def event(coordinator):
    return make_event(coordinator)


def draft(
    coordinator,
    event,
    *,
    group="confirmed",
    subject="【ご案内】{日時}の交流会",
    body="{氏名}様\n{会場}でお待ちしています。\n{リンク}",
):
    return services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.EVENT,
        source_obj=event,
        group=group,
        subject=subject,
        body=body,
    )


def send(coordinator, mailing, event=None):
    """Send as the confirmation page does: with the count it showed."""
    count = len(selectors.audience(coordinator, mailing, event))
    return services.mailing_send(
        actor=coordinator,
        mailing=mailing,
        expected_count=count,
        based_on_version=mailing.version,
        source_obj=event,
    )
