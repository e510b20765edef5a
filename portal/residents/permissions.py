"""Who sees what of the residents' services.

The public pages, the schedule and the application forms are open to everyone. Applications hold a
resident's name and phone number: only the secretariat (coordinators) sees them, through the
visibility querysets below, used by lists and details alike. Everyone else gets 403 on the
secretariat's pages; an application is never shown to another resident (the applicant's own page is
reached only through the signed link of ``links.py``, never by a number in the address).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from portal.accounts.permissions import is_coordinator

from .models import IndividualApplication, Page, PeerBooking, PeerSlot, SeminarApplication, SeminarSeat


def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_coordinator(user)


def require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied


def visible_individual_applications(user) -> QuerySet[IndividualApplication]:
    if not is_secretariat(user):
        return IndividualApplication.objects.none()
    return IndividualApplication.objects.filter(purged_at__isnull=True)


def visible_seminar_applications(user) -> QuerySet[SeminarApplication]:
    if not is_secretariat(user):
        return SeminarApplication.objects.none()
    return SeminarApplication.objects.filter(purged_at__isnull=True)


def visible_seminar_seats(user) -> QuerySet[SeminarSeat]:
    if not is_secretariat(user):
        return SeminarSeat.objects.none()
    return SeminarSeat.objects.filter(application__purged_at__isnull=True)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_individual_application_for(user, pk) -> IndividualApplication:
    require_secretariat(user)
    return _get(
        visible_individual_applications(user).select_related(
            "slot__day", "preference1__day", "preference2__day", "preference3__day"
        ),
        pk,
    )


def get_seminar_application_for(user, pk) -> SeminarApplication:
    require_secretariat(user)
    return _get(visible_seminar_applications(user), pk)


def get_seminar_seat_for(user, pk) -> SeminarSeat:
    require_secretariat(user)
    return _get(visible_seminar_seats(user).select_related("seminar", "application", "reservation"), pk)


def visible_peer_bookings(user) -> QuerySet[PeerBooking]:
    if not is_secretariat(user):
        return PeerBooking.objects.none()
    return PeerBooking.objects.filter(purged_at__isnull=True)


def get_peer_booking_for(user, pk) -> PeerBooking:
    require_secretariat(user)
    return _get(visible_peer_bookings(user), pk)


def get_peer_slot(pk) -> PeerSlot:
    return _get(PeerSlot.objects.select_related("day"), pk)


def public_pages() -> QuerySet[Page]:
    from django.utils import timezone

    return Page.objects.filter(publish_from__lte=timezone.now())
