"""Rules of the network-building programme.

A municipality sees only its own sheets, sessions and actions; partners see none; coordinators
see all. Another organisation's object answers 404; the wrong role answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in
from portal.core.permissions import get_or_404

from .models import (
    ExchangeSession,
    FollowUpAction,
    HearingSheet,
    Participation,
    Programme,
)


def municipal_memberships(user):
    return [m for m in active_memberships(user) if m.organization.kind == Organization.Kind.MUNICIPALITY]


def is_municipal_staff(user) -> bool:
    return bool(municipal_memberships(user))


def active_municipality(request) -> Organization | None:
    """The municipality the person acts for (their active organisation, if it is one)."""
    org = getattr(request, "organization", None)
    if org is not None and org.kind == Organization.Kind.MUNICIPALITY:
        return org
    return None


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def require_programme_reader(user) -> None:
    """Programme pages: coordinators and municipal staff; partners and experts have no business here."""
    if not (is_coordinator(user) or is_municipal_staff(user)):
        raise PermissionDenied


def _own_municipality_ids(user) -> list[int]:
    return [m.organization_id for m in municipal_memberships(user)]


def _tenant_rows(model, user, *related):
    """Rows of a municipality-owned model: coordinators all, municipal staff their own
    municipality's, everyone else none."""
    qs = model.objects.select_related(*related) if related else model.objects.all()
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=_own_municipality_ids(user))


# One visibility rule per municipality-owned model, used by its lists and its detail fetch.


def visible_sheets(user):
    return _tenant_rows(HearingSheet, user, "organization", "programme")


def visible_sessions(user):
    return _tenant_rows(ExchangeSession, user, "organization", "programme")


def visible_actions(user):
    return _tenant_rows(FollowUpAction, user, "session", "owner")


def visible_participations(user):
    return _tenant_rows(Participation, user, "organization", "programme")


def _get_visible(queryset, pk):
    """The row, or 404 for a missing one and for one the person may not see alike: no one learns
    which sheets or exchanges exist."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_programme_for_coordinator(user, pk) -> Programme:
    require_coordinator(user)
    return get_or_404(Programme, pk)


def get_programme_for_reader(user, pk) -> Programme:
    require_programme_reader(user)
    return get_or_404(Programme, pk)


def get_question_for_coordinator(user, pk):
    from .models import Question

    require_coordinator(user)
    return get_or_404(Question, pk, "programme", "section")


def get_participation_for_coordinator(user, pk) -> Participation:
    require_coordinator(user)  # 403 to everyone else, whether or not the row exists
    return _get_visible(visible_participations(user), pk)


def get_sheet_for(user, pk) -> HearingSheet:
    return _get_visible(visible_sheets(user), pk)


def can_edit_sheet(user, sheet: HearingSheet) -> bool:
    """Municipal staff of the sheet's municipality fill it in while it is a draft or returned."""
    return membership_in(user, sheet.organization_id) is not None and sheet.is_editable


def get_sheet_for_editor(user, pk) -> HearingSheet:
    sheet = get_sheet_for(user, pk)
    if membership_in(user, sheet.organization_id) is None:
        raise PermissionDenied  # coordinators read sheets; the municipality writes them
    return sheet


def get_sheet_for_coordinator(user, pk) -> HearingSheet:
    sheet = get_sheet_for(user, pk)  # 404 first for those who may not know the sheet exists
    require_coordinator(user)
    return sheet


def get_session_for(user, pk) -> ExchangeSession:
    return _get_visible(visible_sessions(user), pk)


def get_session_for_coordinator(user, pk) -> ExchangeSession:
    session = get_session_for(user, pk)  # 404 first for those who may not know it exists
    require_coordinator(user)
    return session


def get_action_for_completer(user, pk) -> FollowUpAction:
    action = _get_visible(visible_actions(user), pk)
    if not (is_coordinator(user) or action.owner_id == user.pk):
        raise PermissionDenied
    return action


def require_municipality(request) -> Organization:
    """Pages of "my municipality": the active organisation must be a municipality."""
    org = active_municipality(request)
    if org is None:
        raise PermissionDenied
    return org
