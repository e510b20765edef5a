"""Who may read what of メール相談 and 相談記録.

Staff: counsellors of the secretariat (``Membership.Role.COUNSELLOR``) and coordinators read the inbox
and the records; nobody else, whatever their organisation (403). Residents: their own threads only;
another resident's thread answers 404. Residents never reach a staff page: staff pages look at
``request.user`` alone, resident pages at ``request.resident`` alone.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.permissions import is_coordinator, is_counsellor

from .models import Record, ReplyTemplate, Resident, Thread


def require_counsellor(user) -> None:
    if not is_counsellor(user):
        raise PermissionDenied


def can_review(user) -> bool:
    """Senior review of replies: the coordinators."""
    return is_coordinator(user)


def visible_threads(user):
    require_counsellor(user)
    return Thread.objects.filter(purged_at__isnull=True)


def get_thread_for(user, pk) -> Thread:
    try:
        return visible_threads(user).select_related("assigned_to", "resident").get(pk=pk)
    except (Thread.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_records(user):
    require_counsellor(user)
    return Record.objects.filter(purged_at__isnull=True)


def get_record_for(user, pk) -> Record:
    try:
        return visible_records(user).select_related("municipality", "counsellor").get(pk=pk)
    except (Record.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_templates(user):
    require_counsellor(user)
    return ReplyTemplate.objects.all()


def get_template_for(user, pk) -> ReplyTemplate:
    try:
        return visible_templates(user).get(pk=pk)
    except (ReplyTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- residents ------------------------------------------------------------------------------


def resident_threads(resident: Resident):
    return Thread.objects.filter(resident=resident, purged_at__isnull=True)


def get_resident_thread(resident: Resident, pk) -> Thread:
    """The resident's own thread, or 404: another resident's thread is not there."""
    try:
        return resident_threads(resident).get(pk=pk)
    except (Thread.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
