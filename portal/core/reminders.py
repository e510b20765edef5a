"""When a reminder "N days before" is due: one rule for every app's reminder task.

A reminder is due from its day on (``today >= day - N``) until the day itself, not only on the
exact day: celery beat does not run the tasks it missed, so a worker that was down on the day
would otherwise lose the reminder for good. When several reminders of one thing are late at once
(the 7-day one and the 1-day one), only the nearest is sent and the earlier ones count as passed,
so nobody gets two reminders in one morning. Nothing is sent on or after the day itself: a "see
you tomorrow" arriving on the day, or after it, helps no one (reminders of the day are the
apps' own business)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def due(schedule: Iterable[tuple[int, str]], *, day: dt.date, today: dt.date, sent: Iterable[str]):
    """``schedule``: (days before, tag) pairs, e.g. ((7, "d7"), (1, "d1")). Returns ``(tag,
    days_ahead, tags_to_record)`` for the reminder to send now, or None."""
    ahead = (day - today).days
    if ahead <= 0:
        return None
    reached = sorted((days, tag) for days, tag in schedule if ahead <= days)
    if not reached:
        return None
    _days, tag = reached[0]
    sent = set(sent)
    if tag in sent:
        return None
    return tag, ahead, sorted(sent | {t for _d, t in reached})


def window(schedule: Iterable[tuple[int, str]], today: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose reminders may be due today (from tomorrow to the farthest reminder)."""
    farthest = max(days for days, _tag in schedule)
    return today + dt.timedelta(days=1), today + dt.timedelta(days=farthest)
