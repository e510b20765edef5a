"""Rules of the consultation-window directory.

The public reads the directory of every active window. A municipality's staff edit their own
municipality's windows; coordinators all. Another municipality's window answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in

from .models import ConsultationWindow, DirectoryConfirmation


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def require_municipality(request) -> Organization:
    """Pages of "my municipality": the active organisation must be a municipality."""
    org = getattr(request, "organization", None)
    if org is None or org.kind != Organization.Kind.MUNICIPALITY:
        raise PermissionDenied
    return org


def _own_municipality_ids(user) -> list[int]:
    return [
        m.organization_id
        for m in active_memberships(user)
        if m.organization.kind == Organization.Kind.MUNICIPALITY
    ]


# One visibility rule per municipality-owned model, used by its lists and its detail fetch.


def visible_windows(user):
    """Windows a person may edit: coordinators all, municipal staff their own municipality's."""
    qs = ConsultationWindow.objects.select_related("organization")
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=_own_municipality_ids(user))


def visible_confirmations(user):
    qs = DirectoryConfirmation.objects.all()
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=_own_municipality_ids(user))


def public_windows():
    """The public directory: every active window of an active municipality (no tenant filter:
    the directory is published on purpose)."""
    return ConsultationWindow.objects.filter(is_active=True, organization__is_active=True)


def can_edit_windows(user, organization) -> bool:
    return is_coordinator(user) or membership_in(user, organization.pk) is not None


def get_window_for_editor(user, pk) -> ConsultationWindow:
    """The window, or 404 for a missing one and for another municipality's alike."""
    try:
        return visible_windows(user).get(pk=pk)
    except (ConsultationWindow.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
