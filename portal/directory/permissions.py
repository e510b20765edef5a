"""Who keeps the directories. A partner organisation keeps its own entry (the coordinators review
each change before it is published); coordinators keep the support institutions. The public sees
published entries only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in

from .models import PartnerEntry, SupportInstitution


def visible_entries(user):
    """The one visibility queryset of member pages: coordinators all, partners their own."""
    entries = PartnerEntry.objects.select_related("organization", "proposed_by")
    if is_coordinator(user):
        return entries
    return entries.filter(organization_id__in=[m.organization_id for m in active_memberships(user)])


def public_entries():
    return PartnerEntry.objects.filter(is_published=True, organization__is_active=True)


def partner_of(request) -> Organization:
    """The partner organisation the person acts for (its entry page)."""
    org = getattr(request, "organization", None)
    if org is None or org.kind != Organization.Kind.PARTNER or membership_in(request.user, org.pk) is None:
        raise PermissionDenied
    return org


def get_entry_for_coordinator(user, pk) -> PartnerEntry:
    if not is_coordinator(user):
        # Partners answer 404 for another organisation's entry, 403 for their own (wrong role).
        try:
            visible_entries(user).get(pk=pk)
        except (PartnerEntry.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        raise PermissionDenied
    try:
        return visible_entries(user).get(pk=pk)
    except (PartnerEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def get_institution_for_coordinator(user, pk) -> SupportInstitution:
    require_coordinator(user)
    try:
        return SupportInstitution.objects.get(pk=pk)
    except (SupportInstitution.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
