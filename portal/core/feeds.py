"""Personal calendar feeds: every app contributes the events a person is part of."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from django.db import transaction

from . import audit
from .calendars import CalendarEvent
from .models import CalendarFeed

_sources: list[Callable[[object], list[CalendarEvent]]] = []


def source(fn):
    """Register fn(user) -> [CalendarEvent] as a provider of the personal feed."""
    _sources.append(fn)
    return fn


def events_for(user) -> list[CalendarEvent]:
    """Each source filters by the person's current roles; an inactive person has none."""
    if not user.is_active:
        return []
    events: list[CalendarEvent] = []
    for fn in _sources:
        events.extend(fn(user))
    return sorted(events, key=lambda e: e.start)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_renew(*, actor) -> str:
    """Make a new secret URL token for the person; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(user=actor, defaults={"token_hash": _hash(token)})
        audit.record(actor=actor, action="calendar_feed.renew", obj=actor)
    return token


def feed_revoke(*, actor) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor).delete()
        audit.record(actor=actor, action="calendar_feed.revoke", obj=actor)


def feed_end(*, actor, user, reason: str) -> bool:
    """A person's access ended (account, membership, expert profile, grant): their feed URL stops
    answering at once. Recorded when there was a feed; returns whether there was one."""
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=actor, action="calendar_feed.end", obj=user, details={"reason": reason})
    return bool(deleted)


def user_for_token(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def has_feed(user) -> bool:
    return CalendarFeed.objects.filter(user=user).exists()
