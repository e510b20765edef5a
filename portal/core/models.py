"""Rows every app shares: the audit trail, the email outbox and in-portal notifications."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    """Who did what to which object, from where and when. Never the sensitive text itself."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Non-sensitive metadata only: names of changed fields, status transitions, counts.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        # The log's order, alone and under its organisation filter, read from an index: a page of a
        # million rows is a short index scan, not a sort of the whole table.
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="audit_recent"),
            models.Index(fields=["organization", "-created_at", "-id"], name="audit_org_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Attachments such as ICS invitations: [{"filename", "content", "mimetype"}] (text content only).
    attachments = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=100, blank=True, help_text="template key, for statistics")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A personal ICS feed: a secret URL (only its hash is stored) that calendar apps poll.
    Making a new URL revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class CapacityResource(models.Model):
    """A thing with limited places (an expert's hour, a training session, a meeting): the row
    that is locked while places are counted, so that two requests never both take the last one."""

    key = models.CharField(max_length=100, unique=True)
    capacity = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.key


class Reservation(models.Model):
    """A place taken on a resource for a period: held for a few minutes while a form is completed,
    then booked, or released. Booked and live held places never overlap beyond the capacity;
    for capacity 1 a partial unique index makes a double booking impossible in the database."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        BOOKED = "booked", _("Booked")
        RELEASED = "released", _("Released")

    resource = models.ForeignKey(CapacityResource, on_delete=models.CASCADE, related_name="reservations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_until = models.DateTimeField(null=True, blank=True)
    exclusive = models.BooleanField(default=True)  # capacity-1 resources: one place per start time
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["resource", "starts_at", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "starts_at"],
                condition=models.Q(status__in=["held", "booked"], exclusive=True),
                name="reservation_one_live_place_per_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="reservation_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M} {self.status}"


class SeatStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", pgettext_lazy("own cancellation", "Cancelled")


class SeatMode(models.TextChoices):
    """How a person attends: each mode has its own places and its own waiting list."""

    VENUE = "venue", _("At the venue")
    ONLINE = "online", _("Online")


class SeatRegistration(models.Model):
    """A person's place at a meeting or training session, or in its waiting list
    (moved between the states by ``portal.core.waitlist``). Each attendance mode (venue, online)
    has its own places and its own queue; ``version`` guards the registrant's own edits."""

    Status = SeatStatus
    Mode = SeatMode

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=SeatStatus.choices)
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("attendance"), max_length=10, choices=SeatMode.choices, default=SeatMode.VENUE)
    accessibility = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class NotificationPreference(models.Model):
    """The areas for which a person does not want notifications also by email. The in-portal
    notification always stays; security emails (invitation, password reset, MFA) do not go
    through ``notify`` and are always sent. Storing what is switched off means that a new area
    starts with email on."""

    class Area(models.TextChoices):
        CASES = "cases", _("Cases (expert panel)")
        NETWORK = "network", _("Network-building programme and hearing sheets")
        TALENT_BANK = "talent_bank", _("Talent bank")
        MEETINGS = "meetings", _("Exchange meetings and joint consultation fairs")
        TRAINING = "training", _("Training")
        GUIDEBOOK = "guidebook", _("Guidebook and materials")
        OUTREACH = "outreach", _("Touring and home-visit consultations")
        SUBSIDY = "subsidy", _("Start-up subsidy")
        NEWS = "news", _("News and public directories")
        ACCOUNT = "account", _("Account and other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # Area codes (``Area`` values) whose notifications come only inside the portal.
    email_off = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notification preferences of {self.user}"
