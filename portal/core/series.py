"""Dates of a series of meetings or training sessions scheduled at once: a weekday pattern (every
Wednesday, or the 2nd Tuesday of each month, between two dates) or a list of dates. Japanese
public holidays (jpholiday) are skipped and reported, so the confirmation page can show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jpholiday
from django.utils import timezone

from .dates import wareki

WEEKLY, MONTHLY, LISTED = "weekly", "monthly", "listed"
MAX_DATES = 60  # a fiscal year of weekly sessions, with room to spare


@dataclass(frozen=True)
class SeriesDate:
    day: dt.date
    holiday: str = ""  # the holiday's name when the day is skipped

    @property
    def skipped(self) -> bool:
        return bool(self.holiday)

    @property
    def label(self) -> str:
        """令和8年12月9日（水）"""
        return wareki(self.day, weekday=True)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def pattern_days(
    *,
    pattern: str,
    first: dt.date | None = None,
    last: dt.date | None = None,
    weekday=None,
    nth=None,
    listed=(),
) -> list[dt.date]:
    """The days a pattern names, in order, without duplicates (holidays not yet removed)."""
    if pattern == LISTED:
        return sorted(set(listed))
    if first is None or last is None or weekday is None or last < first:
        return []
    days: list[dt.date] = []
    if pattern == WEEKLY:
        day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last:
            days.append(day)
            day += dt.timedelta(days=7)
    elif pattern == MONTHLY:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            day = _nth_weekday(year, month, weekday, nth or 1)
            if day and first <= day <= last:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def plan(days: list[dt.date]) -> list[SeriesDate]:
    """Every day with the holiday it falls on (those are skipped)."""
    return [SeriesDate(day, jpholiday.is_holiday_name(day) or "") for day in days]


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """That day and time in Tokyo time."""
    return timezone.make_aware(dt.datetime.combine(day, time), timezone.get_default_timezone())
