"""Reads of the public directories and the public events calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.news import selectors as news_selectors
from portal.outreach import selectors as outreach_selectors

from .models import PartnerEntry, SupportInstitution
from .permissions import public_entries, visible_entries


def partner_directory(*, support_type: str = "", area: Organization | None = None):
    entries = (
        public_entries()
        .select_related("organization")
        .prefetch_related(Prefetch("areas", queryset=Organization.objects.order_by("code")))
    )
    if support_type:
        # JSON containment is not on SQLite; the types are few, so match the stored list's text.
        entries = entries.filter(support_types__icontains=f'"{support_type}"')
    if area is not None:
        entries = entries.filter(areas=area)
    return entries.order_by("organization__kana", "organization__name", "pk")


def areas():
    return (
        Organization.objects.filter(
            kind=Organization.Kind.MUNICIPALITY, directory_partners__is_published=True
        )
        .distinct()
        .order_by("code")
    )


def entry_of(organization: Organization) -> PartnerEntry | None:
    return PartnerEntry.objects.filter(organization=organization).prefetch_related("areas").first()


def pending_entries(user):
    return visible_entries(user).filter(review=PartnerEntry.Review.PENDING).order_by("proposed_at", "pk")


def institutions(*, category: str = ""):
    rows = SupportInstitution.objects.filter(is_active=True)
    if category:
        rows = rows.filter(category=category)
    return rows.order_by("category", "order", "pk")


def institutions_for_coordinator():
    return SupportInstitution.objects.order_by("category", "order", "pk")


@dataclass
class PublicEvent:
    kind: str  # "fair" or "news"
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    organizer: str
    url: str
    uid: str
    sequence: int = 0
    exhibitors: list[str] = field(default_factory=list)


def _fairs(now):
    """Upcoming joint consultation fairs with their approved exhibitors.

    portal.meetings has no public list of fairs among its selectors yet (only the page of one,
    ``permissions.get_public_fair``), so this reads the fairs the same way that page does."""
    from portal.meetings.models import Event, ExhibitorApplication

    approved = ExhibitorApplication.objects.filter(status="approved").select_related("organization")
    return (
        Event.objects.filter(kind=Event.Kind.FAIR, cancelled_at__isnull=True, ends_at__gte=now)
        .prefetch_related(Prefetch("exhibitors", queryset=approved.order_by("organization__name")))
        .order_by("starts_at")
    )


def public_events(now=None) -> list[PublicEvent]:
    """One calendar of what the public may attend: joint consultation fairs, the events of
    published news posts and the days of published touring consultations, soonest first."""
    now = now or timezone.now()
    events = [
        PublicEvent(
            kind="fair",
            title=fair.title,
            starts_at=fair.starts_at,
            ends_at=fair.ends_at,
            place=fair.venue,
            organizer="東京都ひきこもりサポートネット",
            url=reverse("meetings:fair_public", args=[fair.pk]),
            uid=f"fair-{fair.pk}@hikikomori-support-net",
            sequence=fair.sequence,
            exhibitors=[str(x.organization) for x in fair.exhibitors.all()],
        )
        for fair in _fairs(now)
    ]
    events += [
        PublicEvent(
            kind="news",
            title=post.title,
            starts_at=post.event_starts_at,
            ends_at=post.event_ends_at,
            place=post.event_place,
            organizer=str(post.organization),
            url=reverse("news:detail", args=[post.pk]),
            uid=f"news-{post.pk}@hikikomori-support-net",
            sequence=post.sequence,
        )
        for post in news_selectors.upcoming_events(now)
    ]
    events += [
        PublicEvent(
            kind="outreach",
            title=_("Touring consultation (%(municipality)s)") % {"municipality": day.host.organization},
            starts_at=day.starts_at,
            ends_at=day.ends_at,
            place="　".join(filter(None, [day.host.facility_name, day.host.facility_address])),
            organizer="東京都ひきこもりサポートネット",
            url=reverse("outreach:public_days"),
            uid=f"outreach-day-{day.pk}@hikikomori-support-net",
            sequence=day.sequence,
        )
        for day in outreach_selectors.upcoming_public_days(now)
    ]
    return sorted(events, key=lambda e: e.starts_at)
