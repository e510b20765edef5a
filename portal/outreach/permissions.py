"""Who sees and does what in 巡回相談 and 訪問相談.

One visibility queryset per tenant-owned model, used by lists and details alike:
- hosts (and their days): coordinators all; a municipality its own host rows and every published
  one (published days are public anyway); partners and experts nothing (403).
- bookings: coordinators all; a municipality the bookings it made. The host of the day sees that a
  slot is taken, not who took it, when another municipality booked it.
- referrals: coordinators all; a municipality its own. Visit records stay with the Support Net
  unless marked for sharing (``shared_visits``).
Another organisation's object answers 404; the wrong role 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in

from .models import HomeVisit, OutreachDay, OutreachHost, SlotBooking, VisitReferral

PUBLIC_STATES = (
    OutreachHost.Status.PUBLISHED,
    OutreachHost.Status.HELD,
    OutreachHost.Status.REPORTED,
)


def municipal_org_ids(user) -> list[int]:
    return [
        m.organization_id
        for m in active_memberships(user)
        if m.organization.kind == Organization.Kind.MUNICIPALITY
    ]


def membership_in_org(user, organization):
    return membership_in(user, organization.pk)


def is_municipal_staff(user) -> bool:
    return bool(municipal_org_ids(user))


def require_outreach_user(user) -> None:
    """The outreach pages exist for coordinators and municipal staff."""
    if not (is_coordinator(user) or is_municipal_staff(user)):
        raise PermissionDenied


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- hosts and days ---------------------------------------------------------------------------------


def visible_hosts(user):
    qs = OutreachHost.objects.select_related("organization", "plan")
    if is_coordinator(user):
        return qs
    return qs.filter(Q(organization_id__in=municipal_org_ids(user)) | Q(status__in=PUBLIC_STATES))


def get_host_for(user, pk) -> OutreachHost:
    require_outreach_user(user)
    return _get(visible_hosts(user), pk)


def is_host_staff(user, host: OutreachHost) -> bool:
    return membership_in(user, host.organization_id) is not None


def can_edit_host(user, host: OutreachHost) -> bool:
    return is_coordinator(user) or is_host_staff(user, host)


def get_host_for_editor(user, pk) -> OutreachHost:
    host = get_host_for(user, pk)
    if not can_edit_host(user, host):
        raise PermissionDenied
    return host


def get_host_for_coordinator(user, pk) -> OutreachHost:
    host = get_host_for(user, pk)
    require_coordinator(user)
    return host


def visible_days(user):
    return OutreachDay.objects.filter(host__in=visible_hosts(user).values("pk")).select_related(
        "host__organization", "host__plan"
    )


def get_day_for(user, pk) -> OutreachDay:
    require_outreach_user(user)
    return _get(visible_days(user), pk)


def can_book(user, day: OutreachDay) -> bool:
    """Municipal staff of any municipality book on a published day (the host for anyone's residents)."""
    return is_municipal_staff(user) and day.host.status == OutreachHost.Status.PUBLISHED


# --- bookings ---------------------------------------------------------------------------------------


def visible_bookings(user):
    qs = SlotBooking.objects.select_related(
        "organization", "resident_municipality", "slot", "day__host__organization"
    )
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=municipal_org_ids(user))


def get_booking_for(user, pk) -> SlotBooking:
    require_outreach_user(user)
    return _get(visible_bookings(user), pk)


def booking_organization(user, organization) -> Organization:
    """The municipality a booking is made for: the active one, else the user's only one."""
    ids = municipal_org_ids(user)
    if organization is not None and organization.pk in ids:
        return organization
    if ids:
        return Organization.objects.get(pk=ids[0])
    raise PermissionDenied


# --- referrals --------------------------------------------------------------------------------------


def visible_referrals(user):
    qs = VisitReferral.objects.select_related("organization")
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=municipal_org_ids(user))


def get_referral_for(user, pk) -> VisitReferral:
    require_outreach_user(user)
    return _get(visible_referrals(user), pk)


def get_referral_for_coordinator(user, pk) -> VisitReferral:
    referral = get_referral_for(user, pk)
    require_coordinator(user)
    return referral


def get_referral_for_owner(user, pk) -> VisitReferral:
    referral = get_referral_for(user, pk)
    if membership_in(user, referral.organization_id) is None:
        raise PermissionDenied
    return referral


def shared_visits(user, referral: VisitReferral):
    qs = HomeVisit.objects.filter(referral=referral).prefetch_related("staff")
    return qs if is_coordinator(user) else qs.filter(shared=True)


def referral_organization(user, organization) -> Organization:
    ids = municipal_org_ids(user)
    if organization is not None and organization.pk in ids:
        return organization
    if ids:
        return Organization.objects.get(pk=ids[0])
    raise PermissionDenied


def booking_cancel_refusal(booking, *, now=None) -> str:
    """Why a booking can no longer be cancelled ("" when it can): once its slot (or, on the waiting
    list, its day) has begun, or once its outcome is recorded, it stays in the statistics."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if booking.outcome:
        return _(
            "The outcome of this consultation has been recorded; the booking can no longer be cancelled."
        )
    begins = booking.slot.starts_at if booking.slot_id else booking.day.starts_at
    if begins <= now:
        return _("This consultation has begun or is over; the booking can no longer be cancelled.")
    return ""
