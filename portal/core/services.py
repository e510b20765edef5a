from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Notification, NotificationPreference, OutboundEmail
from .outbox import _enqueue


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


def outbound_email_retry(*, actor, mail: OutboundEmail) -> OutboundEmail:
    """A coordinator sends a failed email again (e.g. after fixing an address or the SMTP server)."""
    with transaction.atomic():
        locked = OutboundEmail.objects.select_for_update().get(pk=mail.pk)
        if locked.status == OutboundEmail.Status.SENT:
            return locked
        locked.status = OutboundEmail.Status.QUEUED
        locked.next_attempt_at = None
        locked.attempts = 0
        locked.save(update_fields=["status", "next_attempt_at", "attempts"])
        audit.record(actor=actor, action="outbox.retry", obj=locked)
        transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


def notification_preferences_save(*, actor, email_off) -> NotificationPreference:
    """A person chooses the areas whose notifications come only inside the portal (no email).
    The audit keeps the area codes, nothing typed."""
    wanted = set(email_off)
    unknown = wanted - set(NotificationPreference.Area.values)
    if unknown:
        raise ValueError(f"unknown notification areas: {sorted(unknown)}")
    areas = [a for a in NotificationPreference.Area.values if a in wanted]
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        if pref.email_off != areas:
            pref.email_off = areas
            pref.save(update_fields=["email_off", "updated_at"])
            audit.record(
                actor=actor, action="notification_preferences.save", obj=pref, details={"email_off": areas}
            )
    return pref
