"""Registrations of an organisation are visible to its members and admins, not to others;
materials to registered attendees and coordinators; survey answers to coordinators, in aggregate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in, require_member
from portal.core.permissions import get_or_404

from .models import Event, ExhibitorApplication, Material, PresentationProposal, Registration


def get_event_for(user, pk) -> Event:
    require_member(user)
    event = get_or_404(Event, pk)
    if is_coordinator(user) or any(m.organization.kind in event.audience for m in active_memberships(user)):
        return event
    raise Http404


def get_public_fair(pk) -> Event:
    """Anyone may see which organisations take part in a joint consultation fair; other kinds 404."""
    event = get_or_404(Event, pk)
    if event.kind != Event.Kind.FAIR:
        raise Http404
    return event


def get_event_for_coordinator(user, pk) -> Event:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(Event, pk)


def visible_registrations(user):
    """The one visibility queryset of registrations, for lists and detail: one's own, those of
    one's organisations, everything for coordinators."""
    if is_coordinator(user):
        return Registration.objects.all()
    org_ids = [m.organization_id for m in active_memberships(user)]
    return Registration.objects.filter(Q(user=user) | Q(organization_id__in=org_ids))


def get_registration_for(user, pk) -> Registration:
    require_member(user)
    registration = (
        visible_registrations(user).select_related("event", "user", "organization").filter(pk=pk).first()
    )
    if registration is None:
        raise Http404
    return registration


def can_manage_registration(user, registration: Registration) -> bool:
    """Changing a registration (mode, access needs, leaving the waiting list): the registrant, an
    admin of the registration's organisation, or a coordinator."""
    m = membership_in(user, registration.organization_id)
    return is_coordinator(user) or registration.user_id == user.pk or bool(m and m.is_admin)


def get_registration_to_manage(user, pk) -> Registration:
    """A registration the person may change: a colleague without admin rights is refused (403),
    another organisation's staff do not learn it exists (404)."""
    registration = get_registration_for(user, pk)
    if not can_manage_registration(user, registration):
        raise PermissionDenied
    return registration


def get_own_registration(user, pk) -> Registration:
    registration = get_registration_for(user, pk)
    if registration.user_id != user.pk:
        raise PermissionDenied
    return registration


def attended_events(user):
    """The one rule for attendee-only material (meeting materials and library documents addressed
    to a meeting): the ids of the meetings where the person holds a confirmed seat. Waiting, an open
    offer or a cancelled registration is no seat; a colleague's seat is not one's own."""
    if not user.is_authenticated:
        return Registration.objects.none().values("event_id")
    return Registration.objects.filter(user=user, status=Registration.Status.CONFIRMED).values("event_id")


def is_attendee(user, event: Event) -> bool:
    return attended_events(user).filter(event_id=event.pk).exists()


def get_material_for(user, event: Event, pk) -> Material:
    material = get_or_404(Material, pk)
    if material.event_id != event.pk:
        raise Http404
    if not (is_coordinator(user) or is_attendee(user, event)):
        raise PermissionDenied
    return material


def get_proposal_for_coordinator(user, pk) -> PresentationProposal:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(PresentationProposal, pk, "event", "organization")


def get_application_for_coordinator(user, pk) -> ExhibitorApplication:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(ExhibitorApplication, pk, "event", "organization")


def get_programme_item_for_coordinator(user, pk):
    from .models import ProgrammeItem

    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(ProgrammeItem, pk, "event")


def get_proposal_for_reader(user, pk) -> PresentationProposal:
    require_member(user)
    proposal = get_or_404(PresentationProposal, pk, "event")
    if not proposal.file:
        raise Http404
    if is_coordinator(user) or proposal.user_id == user.pk:
        return proposal
    if membership_in(user, proposal.organization_id):
        raise PermissionDenied
    raise Http404


def get_application_for_reader(user, pk) -> ExhibitorApplication:
    require_member(user)
    application = get_or_404(ExhibitorApplication, pk, "event")
    if not application.file:
        raise Http404
    if is_coordinator(user) or membership_in(user, application.organization_id):
        return application
    raise Http404


def get_registration_for_coordinator(user, pk) -> Registration:
    registration = get_registration_for(user, pk)
    if not is_coordinator(user):
        raise PermissionDenied
    return registration


def get_attended_registration(user, pk) -> Registration:
    """One's own registration for a meeting one attended (for the certificate)."""
    registration = get_own_registration(user, pk)
    if registration.checked_in_at is None:
        raise PermissionDenied
    return registration


def requesting_partner(request):
    """Exhibitors apply for their active organisation, which must be a partner organisation."""
    org = getattr(request, "organization", None)
    if org is None or org.kind != "partner":
        raise PermissionDenied
    return org


def eligible_organization(user, event: Event) -> Organization | None:
    """The organisation through which ``user`` may register: one of the event's audience kinds
    (and, for admins-only meetings, one the person administers)."""
    for m in active_memberships(user):
        if m.organization.kind in event.audience and (m.is_admin or not event.admins_only):
            return m.organization
    return None
