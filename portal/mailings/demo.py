"""A demo mailing: the secretariat wrote to the confirmed registrants of the first upcoming
exchange meeting (run by ``seed_demo``; idempotent)."""

from __future__ import annotations

from django.utils import timezone

from portal.accounts.models import User
from portal.meetings.models import Event

from . import selectors, services
from .models import Mailing


def seed_demo() -> None:
    if Mailing.objects.exists():
        return
    coordinator = User.objects.filter(email="coordinator@example.jp").first()
    event = (
        Event.objects.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True)
        .order_by("starts_at")
        .first()
    )
    if coordinator is None or event is None:
        return
    mailing = services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.EVENT,
        source_obj=event,
        group="confirmed",
        subject="【ご案内】{日時} 交流会の資料について",
        body=(
            "{日時}に{会場}で開催する交流会の資料を、ポータルに掲載しました。\n"
            "当日までにご覧ください。\n{リンク}"
        ),
    )
    rows = selectors.audience(coordinator, mailing, event)
    if not rows:
        return
    services.mailing_send(
        actor=coordinator,
        mailing=mailing,
        expected_count=len(rows),
        based_on_version=mailing.version,
        source_obj=event,
    )
    services.mailing_run(mailing.pk)
