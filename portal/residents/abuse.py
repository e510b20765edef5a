"""Limits on the public forms, kept in Django's cache: so many sends an hour from one address (IP)
and so many a day for one e-mail address or phone number. A hidden field (the honeypot) that a
person never fills marks a robot. No third-party script is involved."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

HONEYPOT = "website"


class Limited(Exception):
    """Too many sends; the page says to call instead."""


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value.strip().lower()}".encode()).hexdigest()
    return f"residents:limit:{kind}:{digest[:32]}"


def _hit(key: str, limit: int, seconds: int) -> bool:
    """Count one send; False when the limit was already reached."""
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return count <= limit


def check(*, ip: str | None, contact: list[str]) -> None:
    """Raise Limited when this address or contact sent too often; counts this send."""
    ok = _hit(_key("ip", ip or "-"), settings.RESIDENTS_FORM_LIMIT_PER_IP, 3600)
    for value in filter(None, contact):
        ok = _hit(_key("contact", value), settings.RESIDENTS_FORM_LIMIT_PER_CONTACT, 86400) and ok
    if not ok:
        raise Limited
