"""Japanese calendar helpers: 和暦, fiscal years (April–March) and business days.

令和7年度 is the fiscal year 2025: 2025-04-01 … 2026-03-31.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import jpholiday
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Era:
    name: str
    romaji: str
    start: dt.date


# Newest first. Dates are the first day of each era.
ERAS = (
    Era("令和", "Reiwa", dt.date(2019, 5, 1)),
    Era("平成", "Heisei", dt.date(1989, 1, 8)),
    Era("昭和", "Showa", dt.date(1926, 12, 25)),
    Era("大正", "Taisho", dt.date(1912, 7, 30)),
    Era("明治", "Meiji", dt.date(1868, 1, 25)),
)


def era_of(day: dt.date) -> tuple[Era, int]:
    for era in ERAS:
        if day >= era.start:
            return era, day.year - era.start.year + 1
    raise ValueError(f"{day} is before the Meiji era")


def _year_label(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


WEEKDAYS = "月火水木金土日"


def wareki(day: dt.date | dt.datetime, *, weekday: bool = False) -> str:
    """2025-04-01 → 令和7年4月1日; with ``weekday=True`` → 令和7年4月1日（火）."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    era, year = era_of(day)
    label = f"{_year_label(era, year)}{day.month}月{day.day}日"
    return f"{label}（{WEEKDAYS[day.weekday()]}）" if weekday else label


WAREKI_TEXT = re.compile(
    r"(?P<era>"
    + "|".join(e.name for e in ERAS)
    + r")(?P<year>元|\d{1,2})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日"
    r"(?:（[月火水木金土日]）)?(?P<clock>\d{1,2}:\d{2})?"
)


def parse_wareki(text: str) -> dt.date | dt.datetime | None:
    """The inverse of :func:`wareki` for text that is nothing but a 和暦 date (and a time):
    令和8年12月4日 → date(2026, 12, 4); 令和8年12月4日（金）14:15 → a naive datetime. Else None."""
    match = WAREKI_TEXT.fullmatch(text.strip())
    if match is None:
        return None
    era = next(e for e in ERAS if e.name == match["era"])
    year = era.start.year + (1 if match["year"] == "元" else int(match["year"])) - 1
    try:
        day = dt.date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    if day < era.start:
        return None
    if match["clock"]:
        hour, minute = (int(x) for x in match["clock"].split(":"))
        if hour > 23 or minute > 59:
            return None
        return dt.datetime.combine(day, dt.time(hour, minute))
    return day


def display(value: dt.date | dt.datetime, part: str = "", *, language: str = "ja") -> str:
    """A date or time as people read it on a screen, in Tokyo time.

    date → 令和8年12月4日（金）; datetime → 令和8年12月4日（金）14:15. ``part`` "date" keeps only the
    date of a datetime, "time" only its time (14:15, for the end of a range). English UI:
    Fri 4 Dec 2026 14:15. Never ISO: that stays in exports, ICS and ``<time datetime>``.
    """
    has_time = isinstance(value, dt.datetime)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    clock = value.strftime("%H:%M") if has_time else ""
    if part == "time":
        return clock
    if language.startswith("en"):
        day = f"{value:%a} {value.day} {value:%b %Y}"
    else:  # the date of the time already in Tokyo: not converted a second time
        day = wareki(value.date() if isinstance(value, dt.datetime) else value, weekday=True)
    if part == "date" or not clock:
        return day
    return f"{day}{clock}" if not language.startswith("en") else f"{day} {clock}"


def fiscal_year_of(day: dt.date | dt.datetime | None = None) -> int:
    """The Western year in which the fiscal year starts (April)."""
    if day is None:
        day = timezone.localdate()
    elif isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


def fiscal_year_label(fiscal_year: int, *, language: str = "ja") -> str:
    """2025 → 令和7年度 (ja) or 'FY2025 (Reiwa 7)' (en).

    The era is the one in force on the fiscal year's first day; 平成31年度 (FY2019) is by
    convention still called 令和元年度 after May 2019, so FY2019 is labelled 令和元年度.
    """
    start, _end = fiscal_year_range(fiscal_year)
    era, year = era_of(max(start, dt.date(2019, 5, 1)) if fiscal_year == 2019 else start)
    if language.startswith("en"):
        return f"FY{fiscal_year} ({era.romaji} {year})"
    return f"{era.name}{'元' if year == 1 else year}年度"


def is_business_day(day: dt.date) -> bool:
    """Weekdays that are neither national holidays nor the secretariat's year-end closure."""
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return (day.month, day.day) not in set(settings.YEAR_END_CLOSURE)


def business_day_on_or_after(day: dt.date) -> dt.date:
    """``day`` if it is a business day, else the next one (a date the secretariat plans: never a
    Sunday, a holiday or 年末年始)."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def business_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` if it is a business day, else the one before (a deadline never on a day off)."""
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_business_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` business days after (or before, if negative) ``day``."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    """Business days in (start, end]: how many working days a deadline leaves."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_business_day(start + dt.timedelta(days=n)))
