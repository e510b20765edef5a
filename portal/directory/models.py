"""Public directories: partner organisations' own entries (reviewed before publishing) and the
support institutions the secretariat keeps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerEntry(models.Model):
    """A partner organisation's public entry. The published fields are what the public sees; a
    change the organisation proposes waits in ``proposal`` until a coordinator approves it."""

    class Review(models.TextChoices):
        NONE = "", _("No change pending")
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="directory_entry"
    )
    description = models.TextField(_("short description"), max_length=1000, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    support_types = models.JSONField(_("support types"), default=list, blank=True)
    areas = models.ManyToManyField(
        "accounts.Organization",
        blank=True,
        related_name="directory_partners",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("areas"),
    )
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    proposal = models.JSONField(default=dict, blank=True)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.NONE, blank=True)
    review_comment = models.TextField(blank=True, max_length=2000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner organisation entry")
        verbose_name_plural = _("partner organisation entries")
        ordering = ["organization__kana", "organization__name", "pk"]

    def __str__(self) -> str:
        return str(self.organization)

    def support_type_labels(self) -> list[str]:
        from portal.accounts.models import Organization

        labels = dict(Organization.SupportType.choices)
        return [str(labels.get(t, t)) for t in self.support_types]

    def support_type_marks(self) -> str:
        """訪・フ・社 as in the seed's table."""
        marks = {"visit": "訪", "freespace": "フ", "social": "社"}
        return "・".join(marks[t] for t in ("visit", "freespace", "social") if t in self.support_types)


class SupportInstitution(models.Model):
    class Category(models.TextChoices):
        MENTAL_HEALTH = "mental_health", _("Mental health and welfare")
        SCHOOLING = "schooling", _("Schooling support")
        EMPLOYMENT = "employment", _("Employment support")
        PEER_FAMILY = "peer_family", _("Peer groups and family associations")
        YOUTH = "youth", _("Youth support")
        OTHER = "other", _("Other")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what they do"), max_length=1000, blank=True)
    audience = models.CharField(_("who it is for"), max_length=500, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("shown in the directory"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support institution")
        verbose_name_plural = _("support institutions")
        ordering = ["category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name", "location"], name="institution_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
