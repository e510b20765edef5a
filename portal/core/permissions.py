"""Rules for the shared pages: notifications belong to their person; audit and outbox to coordinators."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Notification, OutboundEmail
from .registry import people


def get_or_404(model, pk, *select):
    """A row by primary key (with ``select`` related rows joined), or 404 for a missing row or a
    malformed key. The permissions modules fetch through this before deciding who may see it."""
    try:
        return model.objects.select_related(*select).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_notification_for(user, pk) -> Notification:
    try:
        return Notification.objects.get(pk=pk, user=user)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_view_audit(user) -> bool:
    return people().is_coordinator(user)


def require_audit_access(user) -> None:
    if not can_view_audit(user):
        raise PermissionDenied


def get_outbound_email_for(user, pk) -> OutboundEmail:
    require_audit_access(user)
    try:
        return OutboundEmail.objects.get(pk=pk)
    except (OutboundEmail.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
