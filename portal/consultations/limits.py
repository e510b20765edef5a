"""Lockout and rate limits of the residents' sign-in, password reset and registration (Django's cache).

Failures are counted per 利用者番号 as typed, whether or not it exists, so the answers never tell a
real number from a made-up one; attempts are counted per address besides.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    return "resident-limit:" + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _bump(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, timeout)
        return 1


def rate_limited(kind: str, ip: str | None) -> bool:
    """Counts this attempt from ``ip`` and says whether it is over the limit."""
    limit, window = settings.RESIDENT_RATE_LIMIT
    return _bump(_key(f"rate-{kind}", ip or "-"), window) > limit


def is_locked(user_number: str) -> bool:
    limit, _seconds = settings.RESIDENT_SIGNIN_LOCKOUT
    return _count(_key("fail", user_number)) >= limit


def sign_in_failed(user_number: str) -> None:
    _limit, seconds = settings.RESIDENT_SIGNIN_LOCKOUT
    _bump(_key("fail", user_number), seconds)


def sign_in_succeeded(user_number: str) -> None:
    cache.delete(_key("fail", user_number))
