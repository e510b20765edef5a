"""Reads of 巡回相談 and 訪問相談, always for a user, built on the visibility querysets."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from portal.accounts.models import Organization, User

from . import permissions
from .models import OutreachDay, OutreachHost, OutreachSlot, SlotBooking, VisitReferral

B = SlotBooking.Status


def days_with_counts():
    return OutreachDay.objects.annotate(
        staff_count=Count("staff", distinct=True),
        slot_count=Count("slots", distinct=True),
        booked=Count("bookings", filter=Q(bookings__status=B.CONFIRMED), distinct=True),
        waiting=Count("bookings", filter=Q(bookings__status=B.WAITLISTED), distinct=True),
    ).order_by("date")


def hosts_for_list(user, fiscal_year: int | None = None):
    qs = permissions.visible_hosts(user).prefetch_related(Prefetch("days", queryset=days_with_counts()))
    if fiscal_year is not None:
        qs = qs.filter(plan__fiscal_year=fiscal_year)
    return qs.order_by("-plan__fiscal_year", "organization__code")


def public_hosts():
    """What anyone may see: published days, their place and how to apply."""
    return (
        OutreachHost.objects.filter(status=OutreachHost.Status.PUBLISHED)
        .select_related("organization", "plan")
        .prefetch_related(Prefetch("days", queryset=OutreachDay.objects.order_by("date")))
        .order_by("plan__fiscal_year", "pk")
    )


def upcoming_public_days(now):
    """Days of published touring consultations still to come (for the public events calendar)."""
    return (
        OutreachDay.objects.filter(host__status=OutreachHost.Status.PUBLISHED, ends_at__gte=now)
        .select_related("host__organization")
        .order_by("starts_at", "pk")
    )


def days_of(host: OutreachHost):
    return days_with_counts().filter(host=host).prefetch_related("staff")


def slots_of(day: OutreachDay, user):
    """Each slot with whether it is taken; the booking itself only when the user may see it."""
    visible = set(permissions.visible_bookings(user).filter(day=day).values_list("pk", flat=True))
    slots = list(
        OutreachSlot.objects.filter(day=day).prefetch_related(
            Prefetch(
                "bookings",
                queryset=SlotBooking.objects.filter(status=B.CONFIRMED).select_related("organization"),
                to_attr="live",
            )
        )
    )
    for slot in slots:
        booking = slot.live[0] if slot.live else None
        slot.taken = booking is not None  # type: ignore[attr-defined]
        slot.booking = booking if booking is not None and booking.pk in visible else None  # type: ignore[attr-defined]
    return slots


def free_slots(day: OutreachDay):
    return OutreachSlot.objects.filter(day=day).exclude(bookings__status=B.CONFIRMED).order_by("number")


def taken_slot_ids(day: OutreachDay) -> list[int]:
    return list(
        OutreachSlot.objects.filter(day=day, bookings__status=B.CONFIRMED).values_list("pk", flat=True)
    )


def waiting_list(day: OutreachDay, user):
    return (
        permissions.visible_bookings(user).filter(day=day, status=B.WAITLISTED).order_by("created_at", "pk")
    )


def bookings_for_list(user):
    return (
        permissions.visible_bookings(user).exclude(status=B.CANCELLED).order_by("-day__date", "slot__number")
    )


def support_net_staff():
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__kind=Organization.Kind.SECRETARIAT,
        )
        .distinct()
        .order_by("display_name")
    )


def referrals_for_list(user):
    return (
        permissions.visible_referrals(user)
        .annotate(visit_count=Count("visits"))
        .order_by("-created_at", "-pk")
    )


def current_version(model, pk) -> int:
    return model.objects.values_list("version", flat=True).get(pk=pk)


def referral_version(referral: VisitReferral) -> int:
    return current_version(VisitReferral, referral.pk)


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------

MAILING_GROUPS = ("host", "confirmed", "waitlisted", "attended", "absent", "staff", "all")


def day_for_mailing(user, pk) -> OutreachDay:
    """The touring-consultation day a coordinator writes about (as its other pages: 404, then 403)."""
    day = permissions.get_day_for(user, pk)
    permissions.require_coordinator(user)
    return day


def recipients_for_day(day: OutreachDay, group: str) -> list:
    """Who a coordinator's message about ``day`` reaches: querysets of rows ``user_id`` /
    ``organization_id``. Residents are no users: a booking reaches the municipal staff member
    who made it, for their municipality. The host municipality's staff (``host``, and part of
    ``all``) come from the accounts app: ``host_organization_of(day)``. ``attended`` = held, or
    held and referred; ``absent`` = did not come; ``staff`` = the Support Net staff of the day."""
    from django.db.models import F, IntegerField, Value

    bookings = day.bookings.all()
    booked = {
        "confirmed": bookings.filter(status=B.CONFIRMED),
        "waitlisted": bookings.filter(status=B.WAITLISTED),
        "attended": bookings.filter(
            status=B.CONFIRMED, outcome__in=[SlotBooking.Outcome.HELD, SlotBooking.Outcome.REFERRED]
        ),
        "absent": bookings.filter(status=B.CONFIRMED, outcome=SlotBooking.Outcome.NO_SHOW),
    }
    parts: dict[str, list] = {
        g: [qs.values("organization_id", user_id=F("booked_by_id"))] for g, qs in booked.items()
    }
    parts["staff"] = [
        day.staff.through.objects.filter(outreachday_id=day.pk)
        .values("user_id")
        .annotate(organization_id=Value(None, output_field=IntegerField()))
    ]
    if group == "host":
        return []
    if group == "all":
        return parts["confirmed"] + parts["waitlisted"] + parts["staff"]
    if group not in parts:
        raise ValueError(f"unknown group: {group!r}")
    return parts[group]


def host_organization_of(day: OutreachDay):
    """The municipality hosting ``day``."""
    return day.host.organization
