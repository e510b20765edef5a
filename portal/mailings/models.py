"""Messages a coordinator writes to a chosen group: the mailing and one row per recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("mailing status", "Draft")
        SENDING = "sending", pgettext_lazy("mailing status", "Sending")
        SENT = "sent", pgettext_lazy("mailing status", "Sent")
        FAILED = "failed", pgettext_lazy("mailing status", "Stopped")

    class Source(models.TextChoices):
        EVENT = "event", _("Exchange meeting or fair")
        SESSION = "session", _("Training session")
        CASE_MEETING = "case_meeting", _("Case review meeting")
        PROGRAMME = "programme", _("Network-building programme")
        OUTREACH_DAY = "outreach_day", _("Touring consultation day")
        ORGANIZATIONS = "organizations", _("Staff of chosen organisations")

    source = models.CharField(_("written to"), max_length=20, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    group = models.CharField(_("group"), max_length=20, blank=True)
    # Staff of organisations: {"kinds": [...], "municipality_kinds": [...], "municipalities": [ids],
    # "programme": id or None, "admins_only": bool}.
    audience = models.JSONField(default=dict, blank=True)
    # What the letters say about the source (title, date and time, venue, link), fixed when saved.
    facts = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=8000)
    # Personal-data findings the coordinator chose to keep (finding keys, never the text itself).
    confirmed_findings = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written after every batch; a sending mailing silent for longer than core.http.STALE_AFTER
    # was lost (its worker died) and is started again.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    restarts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="organizations") | Q(source_id__isnull=False), name="mailing_has_source"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def job_status(self) -> str:
        """The state as the shared progress script reads it (core.http.job_progress)."""
        states: dict[str, str] = {"draft": "queued", "sending": "running", "sent": "done", "failed": "failed"}
        return states[self.status]


class MailingRecipient(models.Model):
    """One person a mailing was written to: fixed when the coordinator sends, one per person."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("mailing recipient", "Waiting")
        QUEUED = "queued", pgettext_lazy("mailing recipient", "Handed to the outbox")
        SKIPPED = "skipped", pgettext_lazy("mailing recipient", "Not written to (no longer active)")
        UNSENT = "unsent", pgettext_lazy("mailing recipient", "Not written to (sending stopped)")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The stored outgoing email (its status: sent, retrying …); empty once the outbox pruned it.
    email = models.OneToOneField(
        "core.OutboundEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    address = models.EmailField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["mailing", "user"], name="mailing_one_row_per_person")]
        indexes = [models.Index(fields=["mailing", "status"])]

    def __str__(self) -> str:
        return f"{self.mailing_id} → {self.user_id}"
