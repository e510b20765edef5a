from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from .models import AuditEvent, Notification, OutboundEmail


def notifications_for(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def audit_events():
    return AuditEvent.objects.select_related("actor", "organization", "content_type")


def audited_object(content_type_id, object_id):
    """The object whose history is asked for, or 404."""
    try:
        ct = ContentType.objects.get_for_id(content_type_id)
        return ct.get_object_for_this_type(pk=object_id)
    except Exception as exc:  # unknown type, bad id or gone: all the same to the reader
        raise Http404 from exc


def outbound_emails():
    return OutboundEmail.objects.select_related("recipient")
