"""新着情報: posts written by members for the public, moderated by the secretariat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Post(models.Model):
    class Category(models.TextChoices):
        SUPPORT_NET = "support_net", _("Support Net news")
        MUNICIPAL = "municipal", _("Notices from municipalities")
        NOTICE = "notice", _("Notices from the Support Net")
        EVENT = "event", _("Related events")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Not published")
        PUBLISHED = "published", _("Published")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=10000)
    event_starts_at = models.DateTimeField(_("event starts"), null=True, blank=True)
    event_ends_at = models.DateTimeField(_("event ends"), null=True, blank=True)
    event_place = models.CharField(_("event venue"), max_length=200, blank=True)
    event_online = models.BooleanField(_("online participation possible"), default=False)
    event_url = models.URLField(_("event web page"), max_length=500, blank=True)
    attachment = models.FileField(upload_to="news/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    publish_from = models.DateTimeField(_("publish from"), null=True, blank=True)
    publish_until = models.DateTimeField(_("publish until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pinned = models.BooleanField(_("pinned to the top"), default=False)
    urgent = models.BooleanField(_("urgent notice"), default=False)
    # Personal-data findings the author chose to keep (finding keys, never the text itself).
    confirmed_findings = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-pinned", "-publish_from", "-pk"]
        indexes = [models.Index(fields=["status", "category", "publish_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(event_ends_at__isnull=True)
                | Q(event_starts_at__isnull=False, event_ends_at__gt=models.F("event_starts_at")),
                name="news_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(publish_until__isnull=True)
                | Q(publish_from__isnull=True)
                | Q(publish_until__gt=models.F("publish_from")),
                name="news_publish_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_past(self) -> bool:
        return self.publish_until is not None and self.publish_until <= timezone.now()

    @property
    def has_event(self) -> bool:
        return self.event_starts_at is not None


class Decision(models.Model):
    """Every step of a post's review: who did what, when, with the comment the author was sent."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        APPROVED = "approved", _("Approved and published")
        PUBLISHED = "published", _("Published by the secretariat")
        RETURNED = "returned", _("Returned for changes")
        REJECTED = "rejected", _("Not published")
        FLAGS = "flags", _("Pin or urgency changed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="decisions")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post} {self.action}"
