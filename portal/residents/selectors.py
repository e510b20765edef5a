"""Reads of the residents' services: public pages and schedule, and the secretariat's lists."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.core.models import SeatMode, SeatStatus
from portal.directory import selectors as directory_selectors

from . import permissions
from .models import (
    VENUE_NAMES,
    ConsultationDay,
    ConsultationSlot,
    IndividualApplication,
    Page,
    Seminar,
    SeminarSeat,
)

A = IndividualApplication.Status
TAKEN = (A.CONFIRMED, A.OFFERED)


def public_page(kind: str) -> Page:
    page = permissions.public_pages().filter(kind=kind).first()
    if page is None:
        raise Http404
    return page


def municipality_names() -> list[str]:
    return list(
        Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY)
        .order_by("code")
        .values_list("name", flat=True)
    )


def _slots_with_counts():
    return ConsultationSlot.objects.annotate(
        taken=Count("applications", filter=Q(applications__status__in=TAKEN), distinct=True)
    ).order_by("starts_at")


def open_days(*, now=None):
    """Published days whose applications are still open, with their times and how many pairs are
    taken at each (for the public schedule and the form's choices)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    days = (
        ConsultationDay.objects.filter(is_published=True, date__gte=today)
        .prefetch_related(Prefetch("slots", queryset=_slots_with_counts()), "seminars")
        .order_by("date")
    )
    return [d for d in days if d.is_open(now)]


def schedule(fiscal_year: int):
    return (
        ConsultationDay.objects.filter(fiscal_year=fiscal_year)
        .prefetch_related(Prefetch("slots", queryset=_slots_with_counts()))
        .order_by("kind", "number")
    )


def published_days(fiscal_year: int, kind: str):
    return (
        ConsultationDay.objects.filter(fiscal_year=fiscal_year, kind=kind, is_published=True)
        .prefetch_related("slots", "seminars")
        .order_by("date")
    )


def open_slots(*, now=None, staff=False):
    now = now or timezone.now()
    qs = ConsultationSlot.objects.filter(starts_at__gt=now, day__is_published=True).select_related("day")
    slots = list(qs.order_by("starts_at"))
    return slots if staff else [s for s in slots if s.day.is_open(now)]


def upcoming_seminars(*, now=None, open_only=False):
    now = now or timezone.now()
    qs = (
        Seminar.objects.filter(is_published=True, starts_at__gt=now)
        .annotate(
            venue_taken=Count(
                "seats",
                filter=Q(
                    seats__mode=SeatMode.VENUE, seats__status__in=[SeatStatus.CONFIRMED, SeatStatus.OFFERED]
                ),
            )
        )
        .select_related("consultation_day")
        .order_by("starts_at")
    )
    return [s for s in qs if s.is_open(now)] if open_only else list(qs)


@dataclass
class EventRow:
    kind: str
    kind_label: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    url: str
    note: str = ""


def events(*, now=None) -> list[EventRow]:
    """The イベント page: individual consultation days, family seminars, joint consultation fairs and
    touring consultation days, soonest first."""
    now = now or timezone.now()
    rows = []
    for day in open_days(now=now):
        first, last = day.slots.all()[0], list(day.slots.all())[-1]
        rows.append(
            EventRow(
                "individual",
                _("Individual consultation"),
                _("Individual consultation day"),
                first.starts_at,
                last.ends_at,
                VENUE_NAMES[day.venue],
                reverse("residents:individual_apply"),
            )
        )
    for s in upcoming_seminars(now=now):
        rows.append(
            EventRow(
                "seminar",
                _("Family seminar"),
                s.theme,
                s.starts_at,
                s.ends_at,
                VENUE_NAMES[s.venue],
                reverse("residents:seminar_apply"),
                _("Lecturer: %(name)s") % {"name": s.lecturer},
            )
        )
    for e in directory_selectors.public_events(now):
        if e.kind in ("fair", "outreach"):
            label = _("Joint consultation fair") if e.kind == "fair" else _("Touring consultation")
            rows.append(EventRow(e.kind, label, e.title, e.starts_at, e.ends_at, e.place, e.url))
    return sorted(rows, key=lambda r: r.starts_at)


# --- the secretariat's lists -------------------------------------------------------------------


def individual_rows(user, *, status: str = "", day: ConsultationDay | None = None):
    qs = permissions.visible_individual_applications(user).select_related(
        "slot__day", "preference1__day", "preference2__day", "preference3__day"
    )
    if status:
        qs = qs.filter(status=status)
    if day is not None:
        qs = qs.filter(
            Q(slot__day=day) | Q(preference1__day=day) | Q(preference2__day=day) | Q(preference3__day=day)
        )
    return qs.order_by("-created_at", "-pk")


def day_sheet(user, day: ConsultationDay):
    """One day's times with who has them (the secretariat's book of the day)."""
    apps = list(
        permissions.visible_individual_applications(user)
        .filter(slot__day=day, status__in=TAKEN)
        .select_related("slot")
        .order_by("slot__starts_at", "pk")
    )
    by_slot: dict[int, list] = {}
    for a in apps:
        by_slot.setdefault(a.slot_id, []).append(a)
    return [(slot, by_slot.get(slot.pk, [])) for slot in day.slots.all()]


def seminar_rows(user, seminar: Seminar):
    return (
        permissions.visible_seminar_seats(user)
        .filter(seminar=seminar)
        .select_related("application")
        .order_by("mode", "created_at", "pk")
    )


def seminars_for_secretariat(fiscal_year: int):
    return (
        Seminar.objects.filter(fiscal_year=fiscal_year)
        .annotate(
            venue_taken=Count(
                "seats", filter=Q(seats__mode=SeatMode.VENUE, seats__status=SeatStatus.CONFIRMED)
            ),
            online_taken=Count(
                "seats", filter=Q(seats__mode=SeatMode.ONLINE, seats__status=SeatStatus.CONFIRMED)
            ),
            waiting=Count("seats", filter=Q(seats__status=SeatStatus.WAITLISTED)),
        )
        .order_by("starts_at")
    )


def days_for_secretariat(fiscal_year: int):
    return (
        ConsultationDay.objects.filter(fiscal_year=fiscal_year)
        .annotate(confirmed=Count("slots__applications", filter=Q(slots__applications__status=A.CONFIRMED)))
        .order_by("date")
    )


def peer_days(user):
    """The coming weeks of peer online consultation with each time's live booking."""
    from .models import PeerBooking, PeerDay, PeerSlot

    live = permissions.visible_peer_bookings(user).filter(status=PeerBooking.Status.CONFIRMED)
    slots = PeerSlot.objects.prefetch_related(Prefetch("bookings", queryset=live, to_attr="live_bookings"))
    return (
        PeerDay.objects.filter(date__gte=timezone.localdate())
        .prefetch_related(Prefetch("slots", queryset=slots.order_by("starts_at")))
        .order_by("date")[:8]
    )


def yearly_counts(user, fiscal_year: int) -> dict[str, list[list]]:
    """Counts for the secretariat's yearly report: by service, venue, month, relationship and
    municipality of residence (confirmed individual consultations and confirmed seminar seats)."""
    permissions.require_secretariat(user)
    from .models import Relationship, Venue

    individual = list(
        permissions.visible_individual_applications(user)
        .filter(status=A.CONFIRMED, slot__day__fiscal_year=fiscal_year)
        .values_list("slot__day__venue", "slot__day__date", "relationship", "municipality", "attendance")
    )
    seats = list(
        SeminarSeat.objects.filter(status=SeatStatus.CONFIRMED, seminar__fiscal_year=fiscal_year).values_list(
            "seminar__venue", "seminar__starts_at", "mode", "application__municipality", "attended"
        )
    )
    venue, month, relation, municipality = Counter(), Counter(), Counter(), Counter()
    for v, d, rel, muni, _att in individual:
        venue[("individual", v)] += 1
        month[("individual", d.month)] += 1
        relation[rel] += 1
        municipality[("individual", muni or _("(erased)"))] += 1
    for v, starts, mode, muni, _att in seats:
        venue[("seminar", "online" if mode == SeatMode.ONLINE else v)] += 1
        month[("seminar", timezone.localtime(starts).month)] += 1
        municipality[("seminar", muni or _("(erased)"))] += 1
    service = {"individual": _("Individual consultation"), "seminar": _("Family seminar")}
    venues = {**dict(Venue.choices), "online": _("Online")}
    months = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    return {
        _("By service"): [
            [
                service["individual"],
                len(individual),
                sum(1 for r in individual if r[4] == IndividualApplication.Attendance.ATTENDED),
            ],
            [service["seminar"], len(seats), sum(1 for r in seats if r[4])],
        ],
        _("By venue"): [[service[k[0]], str(venues[k[1]]), n] for k, n in sorted(venue.items())],
        _("By month"): [
            [service[s], f"{m}月", month[(s, m)]] for s in ("individual", "seminar") for m in months
        ],
        _("By relationship"): [[str(label), relation[code]] for code, label in Relationship.choices],
        _("By municipality"): [[service[k[0]], k[1], n] for k, n in sorted(municipality.items())],
    }
