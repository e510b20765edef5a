"""区市町村職員向けガイドブック (authored editions built into PDF) and the materials library
(uploaded documents with versions, audiences and download counts)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    title = models.CharField(_("title"), max_length=200, default="ひきこもり支援ガイドブック")
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    foreword = models.TextField(_("foreword (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Chapter(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("chapter number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="chapter_number_per_edition")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    body_html = models.TextField(blank=True)  # sanitised rendering of ``body``
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["chapter", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Figure(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="figures")
    image = models.FileField(upload_to="guidebook-figures/")
    content_type = models.CharField(max_length=50)
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    alt = models.CharField(_("text alternative"), max_length=300)

    def __str__(self) -> str:
        return self.caption or self.alt


class Build(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Building")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="builds")
    content_hash = models.CharField(max_length=64)
    preview = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="guidebook-builds/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at every stage; an active build silent for longer than core.http.STALE_AFTER was lost.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    restarts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.edition} {self.content_hash[:8]}"


class Material(models.Model):
    class Category(models.TextChoices):
        GUIDEBOOK = "guidebook", _("Guidebook")
        BOOKLET = "booklet", _("Booklet")
        LEAFLET = "leaflet", _("Leaflet")
        PROPOSAL = "proposal", _("Recommendations (提言)")
        MEETING = "meeting", _("Meeting material")
        TRAINING = "training", _("Training material")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone (public)")
        MEMBERS = "members", _("All portal members")
        MUNICIPALITIES = "municipalities", _("Municipal staff")
        PARTNERS = "partners", _("Partner organisations")
        EVENT = "event", _("Attendees of a meeting")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    audience = models.CharField(_("who may download"), max_length=20, choices=Audience.choices)
    event = models.ForeignKey(
        "meetings.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="library_materials",
        verbose_name=_("meeting"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-fiscal_year", "category", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audience="event") | models.Q(event__isnull=False),
                name="event_audience_needs_event",
            )
        ]

    def __str__(self) -> str:
        return self.title


class MaterialVersion(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="materials/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    changelog = models.TextField(_("what changed"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="version_number_per_material")
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"


class Download(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="downloads")
    version = models.ForeignKey(MaterialVersion, on_delete=models.CASCADE, related_name="+")
    organization_kind = models.CharField(max_length=20)  # "public" for anonymous, "secretariat", ...
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["material", "organization_kind"])]

    def __str__(self) -> str:
        return f"{self.material} {self.organization_kind}"
