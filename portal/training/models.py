"""人材育成: courses of a fiscal year, their sessions, registrations with a waiting list, video
modules with a confirmation quiz, completions and 修了証."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.models import SeatRegistration


class Course(models.Model):
    class Track(models.TextChoices):
        SUPPORTERS = "supporters", _("Training for supporters (支援者向け研修)")
        IMPLEMENTERS = "implementers", _("Training for implementing organisations (実施団体向け研修)")
        AGENCIES = "agencies", _("Specialist training for related agencies (関係機関向け専門研修)")
        COMMISSIONERS = "commissioners", _("Training for welfare commissioners (民生委員・児童委員向け研修)")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        VIDEO = "video", _("Video")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    code = models.SlugField(_("code"), max_length=40)
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.JSONField(_("for"), default=list)  # organisation kinds
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for", verbose_name=_("prerequisites")
    )
    pass_mark = models.PositiveSmallIntegerField(_("quiz pass mark (%)"), default=80)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["fiscal_year", "track", "number"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"], name="course_code_per_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_video(self) -> bool:
        return self.format == self.Format.VIDEO


class Session(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    label = models.CharField(_("session name"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("venue places"), default=30)
    # Places for online participants beyond the venue: a number, 0 = none, empty = no limit.
    online_capacity = models.PositiveIntegerField(_("online places"), null=True, blank=True, default=0)
    opens_at = models.DateTimeField(_("registration opens"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    audience = models.JSONField(_("who may register"), default=list)  # organisation kinds
    admins_only = models.BooleanField(_("organisation admins only"), default=False)
    notes = models.TextField(_("notes for participants"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    reminders_sent = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.course} {self.label}".strip()

    @property
    def capacity_key(self) -> str:
        return f"training:{self.pk}"

    @property
    def has_online(self) -> bool:
        """Online places exist (a number above 0, or no limit)."""
        return self.online_capacity != 0


class Registration(SeatRegistration):
    class Attendance(models.TextChoices):
        UNMARKED = "", _("Not marked")
        PRESENT = "present", _("Attended")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )

    class Meta(SeatRegistration.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_training_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}"


class VideoModule(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    video = models.FileField(upload_to="training-videos/", blank=True)
    video_type = models.CharField(max_length=100, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=20)

    class Meta:
        ordering = ["course", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(models.Model):
    module = models.ForeignKey(VideoModule, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("correct choice (from 0)"))

    class Meta:
        ordering = ["module", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class ModuleProgress(models.Model):
    module = models.ForeignKey(VideoModule, on_delete=models.CASCADE, related_name="progress")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    best_score = models.PositiveSmallIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["module", "user"], name="one_progress_per_module")]

    def __str__(self) -> str:
        return f"{self.user} {self.module}"


class Completion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="one_completion_per_course")]

    def __str__(self) -> str:
        return f"{self.user} {self.course}"


class CertificateSerial(models.Model):
    """The last certificate number of a fiscal year; locked while a number is taken."""

    fiscal_year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.last}"


class Certificate(models.Model):
    completion = models.OneToOneField(Completion, on_delete=models.PROTECT, related_name="certificate")
    fiscal_year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    token = models.CharField(max_length=43, unique=True)
    file = models.FileField(upload_to="certificates/", blank=True)
    issued_at = models.DateTimeField()
    batch = models.ForeignKey(
        "CertificateBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )

    class Meta:
        ordering = ["fiscal_year", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "serial"], name="certificate_serial_per_year")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_label(self) -> str:
        """「修了証（R8-00001）」: the certificate's own number (see core.audit)."""
        return _("Certificate %(number)s") % {"number": self.number}

    @property
    def issued_before_completion(self) -> bool:
        """Issued before the course was completed (before its session ended): not valid."""
        completion = self.completion
        session = completion.session
        if session is not None and self.issued_at < session.ends_at:
            return True
        return self.issued_at < completion.completed_at


class CertificateBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Written after every certificate; an active batch silent for longer than core.http.STALE_AFTER
    # was lost (its worker died, or its broker message never arrived) and is started again.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    restarts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"batch {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
