"""Reads of news posts, built on the visibility querysets in permissions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from portal.accounts.models import Organization

from .models import Post
from .permissions import current_filter, public_posts, visible_posts


def posts_for_member(user, *, status: str = ""):
    posts = visible_posts(user).order_by("-updated_at", "-pk")
    if status:
        posts = posts.filter(status=status)
    return posts


def review_queue(user):
    return visible_posts(user).filter(status=Post.Status.SUBMITTED).order_by("updated_at", "pk")


def parse_month(value: str) -> dt.date | None:
    try:
        day = dt.datetime.strptime(value or "", "%Y-%m").replace(tzinfo=dt.UTC).date()
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def public_list(
    *, category: str = "", municipality: Organization | None = None, month: dt.date | None = None
):
    """Current posts for the public: pinned first, then newest; expired ones are left out."""
    now = timezone.now()
    posts = public_posts(now).filter(current_filter(now))
    if category:
        posts = posts.filter(category=category)
    if municipality is not None:
        posts = posts.filter(
            Q(organization=municipality)
            | Q(organization__in=Organization.objects.filter(locations=municipality).values("pk"))
        )
    if month is not None:
        tokyo = timezone.get_default_timezone()
        start = dt.datetime(month.year, month.month, 1, tzinfo=tokyo)
        end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=tokyo)
        in_month = Q(publish_from__gte=start, publish_from__lt=end) | Q(
            event_starts_at__gte=start, event_starts_at__lt=end
        )
        posts = posts.filter(in_month)
    return posts.order_by("-pinned", "-publish_from", "-pk")


def urgent_notices():
    now = timezone.now()
    return public_posts(now).filter(current_filter(now), urgent=True).order_by("-publish_from", "-pk")


def latest(limit: int = 5):
    return public_list()[:limit]


def upcoming_events(now=None):
    """Published posts with an event that has not ended, soonest first."""
    now = now or timezone.now()
    return (
        public_posts(now)
        .filter(event_starts_at__isnull=False)
        .filter(Q(event_ends_at__gte=now) | Q(event_ends_at__isnull=True, event_starts_at__gte=now))
        .order_by("event_starts_at", "pk")
    )


def feed_items(category: str = "", limit: int = 30):
    return public_list(category=category)[:limit]


def municipalities_with_posts():
    return Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by("code")
