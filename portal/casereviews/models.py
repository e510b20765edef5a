"""多職種専門チーム: difficult cases, case-review meetings, advice records and follow-up.

These rows are 要配慮個人情報. The narrative fields are purged after the retention period; what
remains (organisation, disciplines, route, outcome, dates) feeds the anonymous statistics.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

DISCIPLINES = [
    ("medical", _("Medical")),
    ("psychology", _("Psychology")),
    ("legal", _("Legal")),
    ("welfare", _("Welfare")),
]

# Free-text fields of a case that may carry case details: scanned by the personal-data guard,
# purged at the end of retention.
NARRATIVE_FIELDS = [
    "pseudonym",
    "living_situation",
    "household",
    "history",
    "current_support",
    "agencies",
    "difficulty",
    "question",
    "consent_reason",
]


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for more information")
        ACCEPTED = "accepted", _("Accepted for a meeting")
        ADHOC = "adhoc", _("Ad-hoc consultation")
        DECLINED = "declined", _("Declined")
        SCHEDULED = "scheduled", _("Scheduled")
        REVIEWED = "reviewed", _("Reviewed")
        ADVISED = "advised", _("Advice issued")
        FOLLOW_UP = "follow_up", _("Follow-up reported")
        CLOSED = "closed", _("Closed")

    class AgeBand(models.TextChoices):
        TEENS = "10s", _("10–19")
        TWENTIES = "20s", _("20–29")
        THIRTIES = "30s", _("30–39")
        FORTIES = "40s", _("40–49")
        FIFTIES = "50s", _("50–59")
        SIXTIES_PLUS = "60s+", _("60 or older")
        UNKNOWN = "unknown", _("Unknown")

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other / not stated")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Consent(models.TextChoices):
        PERSON = "person", _("Obtained from the person")
        FAMILY = "family", _("Obtained from the family")
        NONE = "none", _("Not obtained")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # Anonymised profile
    pseudonym = models.CharField(_("pseudonym or initial"), max_length=50, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.OTHER)
    withdrawal_years = models.PositiveSmallIntegerField(_("years of withdrawal"), null=True, blank=True)
    living_situation = models.CharField(_("living situation"), max_length=300, blank=True)
    household = models.CharField(_("household"), max_length=300, blank=True)
    # Narrative
    history = models.TextField(_("history"), blank=True, max_length=8000)
    current_support = models.TextField(_("current support"), blank=True, max_length=4000)
    agencies = models.TextField(_("agencies involved"), blank=True, max_length=2000)
    difficulty = models.TextField(_("what is difficult"), blank=True, max_length=4000)
    question = models.TextField(_("the question for the panel"), blank=True, max_length=2000)
    disciplines = models.JSONField(_("disciplines wanted"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    consent = models.CharField(
        _("consent for sharing with the panel"), max_length=10, choices=Consent.choices, blank=True
    )
    consent_reason = models.CharField(_("reason consent was not obtained"), max_length=500, blank=True)
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_(
            "The panel experts read the case without the municipality's name or its staff names. "
            "The secretariat always sees them."
        ),
    )
    # Triage and route
    route = models.CharField(max_length=10, blank=True)  # meeting / adhoc / declined (statistics)
    decline_reason = models.TextField(_("reason"), blank=True)
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    adhoc_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Attendance(models.TextChoices):
        NONE = "", _("Not invited")
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Will attend")
        DECLINED = "declined", _("Will not attend")

    attendance = models.CharField(
        _("municipality's attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    report_due = models.DateField(_("follow-up report due"), null=True, blank=True)
    report_reminded = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="case_newest_first"),
            # the list's order under its usual filters (status; a municipality's own cases), and a
            # municipality's recently changed cases on its dashboard: index scans, no sorting
            models.Index(fields=["status", "-created_at", "-id"], name="case_status_newest"),
            models.Index(fields=["organization", "-created_at", "-id"], name="case_org_newest"),
            models.Index(fields=["organization", "-updated_at"], name="case_org_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slot"], name="case_unique_slot", condition=Q(meeting__isnull=False)
            )
        ]
        permissions = [("read_case", "Can read the case as a panel member")]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        """The generated reference only: never the pseudonym or any narrative."""
        return self.reference

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def discipline_labels(self) -> list[str]:
        labels = dict(DISCIPLINES)
        return [str(labels.get(d, d)) for d in self.disciplines]


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grants: an expert reads a case while it is on their meeting."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.from_status}→{self.to_status}"

    @property
    def from_label(self) -> str:
        return str(Case.Status(self.from_status).label) if self.from_status in Case.Status.values else ""

    @property
    def to_label(self) -> str:
        return str(Case.Status(self.to_status).label) if self.to_status in Case.Status.values else ""


def attachment_upload_to(instance, filename):
    return f"cases/{instance.case_id}/{filename}"  # filename: the random name from uploads.store


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to)
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


class PersonalDataConfirmation(models.Model):
    """The submitter looked at a finding of the guard and kept the text: who, when, which field,
    what kind, where — and a hash of the text, never the text itself."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pii_confirmations")
    field = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["confirmed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.field} {self.kind}"


class Meeting(models.Model):
    """ケース検討会議: every other month by default, never on a Japanese holiday."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (cases)"), default=3)
    slot_minutes = models.PositiveSmallIntegerField(_("minutes per case"), default=40)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="panel_meetings", blank=True, verbose_name=_("panel")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("case-review meeting")
        verbose_name_plural = _("case-review meetings")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="meeting_unique_number")
        ]

    def __str__(self) -> str:
        from portal.core.dates import fiscal_year_label

        return f"{fiscal_year_label(self.fiscal_year)} 第{self.number}回 ケース検討会議"

    @property
    def audit_label(self) -> str:
        return str(self)

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.capacity * self.slot_minutes)

    def slot_start(self, slot: int):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=(slot - 1) * self.slot_minutes)


class PanelNote(models.Model):
    """A pre-meeting note: visible to the panel and coordinators only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} note"


class AdviceRecord(models.Model):
    """助言記録: drafted by the coordinator with each discipline's contribution; revisioned."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="advice")
    summary = models.TextField(_("summary of the advice"), blank=True)
    medical = models.TextField(_("medical"), blank=True)
    psychology = models.TextField(_("psychology"), blank=True)
    legal = models.TextField(_("legal"), blank=True)
    welfare = models.TextField(_("welfare"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    CONTENT_FIELDS = ["summary", "medical", "psychology", "legal", "welfare"]

    class Meta:
        verbose_name = _("advice record")

    def __str__(self) -> str:
        return f"{self.case} 助言記録"

    @property
    def audit_label(self) -> str:
        return str(self)


class AdviceRevision(models.Model):
    advice = models.ForeignKey(AdviceRecord, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["advice", "number"], name="advice_revision_unique")]

    def __str__(self) -> str:
        return f"{self.advice} r{self.number}"


class FollowUpReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    body = models.TextField(_("how things went after the advice"), max_length=4000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.case} report"


class PurgeRecord(models.Model):
    """What the retention task removed, and when: the auditable trace of a purge."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="purge")
    purged_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField()
    fields = models.JSONField(default=list)
    attachments = models.PositiveIntegerField(default=0)
    notes = models.PositiveIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.case} purged {self.purged_at:%Y-%m-%d}"


class ConflictOfInterest(models.Model):
    """An expert's conflict of interest with a municipality (or partner) or with one case: declared
    by the expert or recorded by a coordinator. While it is active the expert is never granted the
    case(s) and reads nothing of them; ending it keeps the row as history."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_conflicts"
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts",
        verbose_name=_("case"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # An expert's own declaration about a municipality changes nothing of the blind cases they
    # read until a coordinator confirms it: otherwise declaring (and ending) conflicts would answer
    # "is this blind case from X?". Recorded by a coordinator, or about one case: confirmed at once.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-declared_at", "-pk"]
        indexes = [models.Index(fields=["expert", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True, case__isnull=False)
                | Q(organization__isnull=False, case__isnull=True),
                name="conflict_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"conflict {self.pk}"

    @property
    def audit_label(self) -> str:
        return f"conflict {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def awaits_confirmation(self) -> bool:
        return self.ended_at is None and self.confirmed_at is None


class BlindReviewDefault(models.Model):
    """A municipality's default for new cases: whether the panel experts read them without the
    municipality's name and its staff names (blind review). The submitter can change it per case."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="blind_review_default"
    )
    blind = models.BooleanField(_("blind review by default"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"blind review default {self.organization_id}"
