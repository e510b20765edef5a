from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from .models import AuditEvent, Notification, OutboundEmail


def notifications_for(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def audit_events():
    return AuditEvent.objects.select_related("actor", "organization", "content_type")


def audit_list_rows(events):
    """The audit list's rows: the columns its table shows (not each event's details, nor the whole
    person and content type behind it)."""
    return (
        events.select_related(None)
        .select_related("organization")
        .only(
            "created_at",
            "actor_email",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "ip_address",
            "organization__kind",
            "organization__name",
            "organization__legal_form",
            "organization__branch",
        )
    )


def audited_object(content_type_id, object_id):
    """The object whose history is asked for, or 404."""
    try:
        ct = ContentType.objects.get_for_id(content_type_id)
        return ct.get_object_for_this_type(pk=object_id)
    except Exception as exc:  # unknown type, bad id or gone: all the same to the reader
        raise Http404 from exc


def outbound_emails():
    return OutboundEmail.objects.select_related("recipient")
