"""Who sees and does what with the start-up subsidy.

Coordinators (for the metropolitan government) run the calls and see every application; a
municipality's staff see and write only their own municipality's applications; partners and
experts have no business here (403). Another municipality's application answers 404: lists and
detail pages both go through ``visible_applications``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in
from portal.core.permissions import get_or_404

from .models import Application, Call


def municipal_org_ids(user) -> list[int]:
    return [
        m.organization_id
        for m in active_memberships(user)
        if m.organization.kind == Organization.Kind.MUNICIPALITY
    ]


def require_reader(user) -> None:
    if not (is_coordinator(user) or municipal_org_ids(user)):
        raise PermissionDenied


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def active_municipality(request) -> Organization | None:
    org = getattr(request, "organization", None)
    if org is not None and org.kind == Organization.Kind.MUNICIPALITY:
        return org
    return None


def require_municipality(request) -> Organization:
    org = active_municipality(request)
    if org is None:
        raise PermissionDenied
    return org


# --- calls (not tenant-owned: published ones are read by every municipality) ---------------------


def visible_calls(user):
    require_reader(user)
    calls = Call.objects.all()
    if is_coordinator(user):
        return calls
    return calls.filter(opened_at__isnull=False)


def get_call_for(user, pk) -> Call:
    try:
        return visible_calls(user).get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_call_for_coordinator(user, pk) -> Call:
    require_coordinator(user)
    return get_or_404(Call, pk)


# --- applications: the one visibility queryset -------------------------------------------------


def visible_applications(user):
    """Every application for coordinators; their own municipalities' for municipal staff."""
    require_reader(user)
    qs = Application.objects.select_related("call", "organization")
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=municipal_org_ids(user))


def get_application_for(user, pk) -> Application:
    try:
        return visible_applications(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_applicant(user, application: Application) -> bool:
    return membership_in(user, application.organization_id) is not None


def get_application_for_applicant(user, pk) -> Application:
    """Pages where the municipality writes: its own staff only (coordinators read, 403)."""
    application = get_application_for(user, pk)
    if not is_applicant(user, application):
        raise PermissionDenied
    return application


def get_application_for_coordinator(user, pk) -> Application:
    application = get_application_for(user, pk)
    if not is_coordinator(user):
        raise PermissionDenied
    return application


def get_change_for_coordinator(user, pk):
    """A change request: 404 unless its application is visible; then coordinators only (403)."""
    from .models import ChangeRequest

    try:
        change = ChangeRequest.objects.select_related("application").get(
            pk=pk, application__in=visible_applications(user)
        )
    except (ChangeRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not is_coordinator(user):
        raise PermissionDenied
    return change
