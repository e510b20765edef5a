"""Personal calendar feeds: every app contributes the events a person is part of.

A feed holds what happened in the last :data:`WINDOW_DAYS` days and everything to come. Calendar
apps poll it; its body is kept in Django's cache until a row it is built from changes: every source
names the models it reads (``@feeds.source(watch=(Meeting, Case))``), and saving or deleting such a
row, or changing one of its many-to-many sets, starts a new generation of every feed (the
generation is part of the cache key). A poll that sends the feed's ETag or Last-Modified back is
answered 304 without building or reading the body.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.http import http_date

from . import audit
from .calendars import CalendarEvent, build_ics
from .models import CalendarFeed

WINDOW_DAYS = 90  # a feed reaches this far into the past (and the whole future)
CACHE_SECONDS = 24 * 60 * 60  # the key names the day, so a body is never kept past it anyway
GENERATION_KEY = "calendar-feeds:generation"

_sources: list[Callable[..., list[CalendarEvent]]] = []


def source(fn=None, *, watch=()):
    """Register fn(user, since=None) -> [CalendarEvent] as a provider of the personal feed; ``watch``
    names the models its events are read from (a change to one of their rows renews every feed).
    ``since``: only events that start from then on (None: all)."""

    def register(fn):
        _sources.append(fn)
        watch_models(*watch)
        return fn

    return register(fn) if fn is not None else register


def since_window(since, field: str = "starts_at") -> dict:
    """The filter of a source's queryset for the feed's window (nothing when ``since`` is None)."""
    return {} if since is None else {f"{field}__gte": since}


def window_start(now=None) -> dt.datetime:
    """Midnight (Tokyo) :data:`WINDOW_DAYS` days ago: the earliest start a feed shows."""
    day = timezone.localtime(now or timezone.now()).date() - dt.timedelta(days=WINDOW_DAYS)
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def events_for(user, *, since=None) -> list[CalendarEvent]:
    """Each source filters by the person's current roles; an inactive person has none."""
    if not user.is_active:
        return []
    events: list[CalendarEvent] = []
    for fn in _sources:
        events.extend(fn(user, since=since))
    return sorted(events, key=lambda e: e.start)


# --- the feed's body, kept until something in it changes -------------------------------------------


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # a new count starts from the clock, never from a number an earlier (evicted) count used
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def renew_all() -> None:
    """Something a feed is built from changed: every feed is built afresh at its next poll."""
    with contextlib.suppress(ValueError):  # no generation yet (or evicted): the next read starts one
        cache.incr(GENERATION_KEY)


def _changed(sender=None, **kwargs) -> None:
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # signing in changes nothing a feed shows
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    renew_all()
    # and once more after the commit: a poll between the change and its commit must not keep the
    # body it built from the rows as they were before
    transaction.on_commit(renew_all)


def watch_models(*models) -> None:
    """Saving or deleting a row of ``models``, or changing their many-to-many sets, renews every feed."""
    for model in models:
        uid = f"calendar-feeds:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}:{m2m.name}", weak=False)


@dataclass
class PersonalFeed:
    """A person's feed: its validators, and its body (read only when it is sent)."""

    key: str
    etag: str
    last_modified: float
    _body: str | None = None

    @property
    def last_modified_http(self) -> str:
        return http_date(self.last_modified)

    def body(self, user) -> str:
        if self._body is None:
            self._body = cache.get(self.key + ":body")
        if self._body is None:  # the body was evicted before its validators: build it again
            key, generation = self.key.rsplit(":", 1)
            return _build(user, key, int(generation)).body(user)
        return self._body


def _build(user, key: str, generation: int) -> PersonalFeed:
    body = build_ics(*events_for(user, since=window_start()), method="PUBLISH")
    feed = PersonalFeed(
        key=f"{key}:{generation}",
        etag='"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"',
        last_modified=float(int(time.time())),
        _body=body,
    )
    cache.set_many(
        {feed.key + ":body": body, key: (generation, feed.etag, feed.last_modified)}, CACHE_SECONDS
    )
    return feed


def personal_feed(user) -> PersonalFeed:
    """The person's feed from the cache when nothing in it changed since it was built (and it is
    the same day); otherwise built now and kept. The validators and the generation are read in one
    round trip to the cache."""
    key = f"calendar-feeds:{user.pk}:{window_start().date().isoformat()}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _generation()
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        _stored, etag, last_modified = kept
        return PersonalFeed(key=f"{key}:{generation}", etag=etag, last_modified=last_modified)
    return _build(user, key, generation)


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
