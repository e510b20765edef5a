"""Network-building programme (ネットワーク構築支援事業)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.dates import fiscal_year_label


class Programme(models.Model):
    """One fiscal year of the programme: about ten municipalities, a hearing sheet, an exchange."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)
    target_count = models.PositiveSmallIntegerField(_("target number of municipalities"), default=10)
    hearing_deadline = models.DateField(_("hearing sheet deadline"))
    accepts_applications = models.BooleanField(_("municipalities may apply"), default=True)
    questions_frozen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("network-building programme")
        verbose_name_plural = _("network-building programmes")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} ネットワーク構築支援事業"

    @property
    def audit_label(self) -> str:
        """Built from the year and the organisation only, never from typed text."""
        return str(self)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def questions_frozen(self) -> bool:
        return self.questions_frozen_at is not None


class Section(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        DATE = "date", _("Date")
        YES_NO = "yes_no", _("Yes / no")
        FILE = "file", _("File")

    class Prefill(models.TextChoices):
        NONE = "", _("None")
        WINDOWS = "windows", _("Consultation windows from the directory")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=60, help_text=_("Stable identifier used to compare years."))
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    prefill = models.CharField(_("pre-fill"), max_length=20, choices=Prefill.choices, blank=True)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="question_unique_key")]

    def __str__(self) -> str:
        return self.label

    def snapshot(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "help_text": self.help_text,
            "kind": self.kind,
            "required": self.required,
            "choices": list(self.choices),
        }


class Participation(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Taking part")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organization"], name="participation_unique_org")
        ]

    def __str__(self) -> str:
        return f"{self.programme.label} {self.organization}"


class HearingSheet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sheets")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("hearing sheet")
        verbose_name_plural = _("hearing sheets")
        ordering = ["-programme__fiscal_year", "organization__code"]
        constraints = [models.UniqueConstraint(fields=["programme", "organization"], name="sheet_unique_org")]

    def __str__(self) -> str:
        return f"{self.programme.label} 事前ヒアリングシート（{self.organization}）"

    @property
    def audit_label(self) -> str:
        """Built from the year and the organisation only, never from typed text."""
        return str(self)

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class HearingSheetRevision(models.Model):
    """What was submitted, with the questions it answered (so old sheets always read right)."""

    sheet = models.ForeignKey(HearingSheet, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    questions = models.JSONField(default=list)  # [{"title", "questions": [snapshot, ...]}, ...]
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet", "number"]
        constraints = [models.UniqueConstraint(fields=["sheet", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.sheet} #{self.number}"


class HearingSheetComment(models.Model):
    class Kind(models.TextChoices):
        RETURN = "return", _("Returned with comment")
        NOTE = "note", _("Secretariat note")

    sheet = models.ForeignKey(HearingSheet, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def internal(self) -> bool:
        return self.kind == self.Kind.NOTE


def sheet_upload_to(instance, filename):
    return f"hearing-sheets/{instance.sheet_id}/{filename}"  # the random name from uploads.store


class HearingSheetFile(models.Model):
    sheet = models.ForeignKey(HearingSheet, on_delete=models.CASCADE, related_name="files")
    question_key = models.SlugField(max_length=60)
    file = models.FileField(upload_to=sheet_upload_to)
    stored_name = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ExchangeSession(models.Model):
    """The online exchange (交流会) with one municipality, and its record."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    sheet = models.ForeignKey(
        HearingSheet, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    meeting_url = models.URLField(_("meeting URL"), max_length=500)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("participants")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    summary = models.TextField(_("what was discussed"), blank=True)
    sequence = models.PositiveIntegerField(default=0)  # ICS SEQUENCE: raised on every change
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exchange session")
        verbose_name_plural = _("exchange sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"交流会（{self.organization}）"

    @property
    def audit_label(self) -> str:
        """Built from the year and the organisation only, never from typed text."""
        return str(self)


class FollowUpAction(models.Model):
    """後方支援: what someone does after the exchange, by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    session = models.ForeignKey(ExchangeSession, on_delete=models.CASCADE, related_name="actions")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description
