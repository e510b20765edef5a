"""専門職人材バンク: consultations of partner organisations with legal, medical and management experts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# 法務・医療・経営管理, as the talent bank names its fields (the expert panel's discipline is 法律).
FIELDS = [
    ("legal", pgettext_lazy("talent bank field", "Legal")),
    ("medical", _("Medical")),
    ("management", _("Management")),
]
FORMATS = [("in_person", _("Face to face")), ("online", _("Online"))]


class ExpertSchedule(models.Model):
    """How and when a talent-bank expert can be booked."""

    expert = models.OneToOneField("accounts.ExpertProfile", on_delete=models.CASCADE, related_name="schedule")
    profile = models.TextField(_("short profile"), blank=True, max_length=2000)
    formats = models.JSONField(_("formats offered"), default=list)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("length of a consultation (minutes)"), default=60)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between consultations (minutes)"), default=15)
    min_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=72)
    horizon_days = models.PositiveSmallIntegerField(_("bookable up to (days ahead)"), default=60)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"schedule of {self.expert}"


class WeeklyHours(models.Model):
    schedule = models.ForeignKey(ExpertSchedule, on_delete=models.CASCADE, related_name="weekly")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="weekly_hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class AvailabilityException(models.Model):
    """A day off, or an extra opening (also how an expert opens a Japanese holiday)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Not available")
        OPEN = "open", _("Available")

    schedule = models.ForeignKey(ExpertSchedule, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["date", "start"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class Quota(models.Model):
    """How many consultations an organisation may have per field in a fiscal year."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    field = models.CharField(_("field"), max_length=20, choices=FIELDS)
    limit = models.PositiveSmallIntegerField(_("consultations per organisation"), default=6)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "field"], name="quota_unique")]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.field} {self.limit}"


class QuotaException(models.Model):
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    field = models.CharField(_("field"), max_length=20, choices=FIELDS)
    extra = models.PositiveSmallIntegerField(_("additional consultations"), default=1)
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.organization} +{self.extra}"


class Consultation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", pgettext_lazy("own cancellation", "Cancelled")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    field = models.CharField(_("field"), max_length=20, choices=FIELDS)
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    format = models.CharField(_("format"), max_length=20, choices=FORMATS)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("attendees")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_bank_consultations",
    )
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    preferred_dates = models.JSONField(_("preferred dates"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    decline_reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("talent-bank consultation")
        verbose_name_plural = _("talent-bank consultations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "fiscal_year", "field"]),
            # the list's order, alone, for one organisation and under the status filter
            models.Index(fields=["-created_at", "-id"], name="consultation_newest"),
            models.Index(fields=["organization", "-created_at", "-id"], name="consultation_org_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="consultation_status_newest"),
        ]
        constraints = [
            # One held slot makes at most one request: a replayed form cannot claim it twice.
            models.UniqueConstraint(fields=["reservation"], name="consultation_one_per_reservation")
        ]

    def __str__(self) -> str:
        # Never the topic or any other text the organisation typed.
        return _("Talent-bank consultation #%(number)s") % {"number": self.pk}

    @property
    def audit_label(self) -> str:
        """The audit trail's object_repr (see core.audit): the number, as on screens."""
        return str(self)

    QUOTA_STATUSES = ("requested", "confirmed", "completed", "no_show")

    def has_started(self, now=None) -> bool:
        """Records and ratings open once the consultation has begun."""
        from django.utils import timezone

        return self.starts_at is not None and self.starts_at <= (now or timezone.now())


class ConsultationRecord(models.Model):
    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="record")
    summary = models.TextField(_("advice summary (shared with the organisation)"), max_length=6000)
    private_notes = models.TextField(_("private notes (secretariat only)"), blank=True, max_length=6000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"record of {self.consultation_id}"


class Feedback(models.Model):
    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"
