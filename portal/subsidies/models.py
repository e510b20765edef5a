"""立ち上げ支援補助 (start-up subsidy): a fiscal year's call, municipalities' applications, the grant
decision (交付決定), change requests and the performance report (実績報告).

The subsidy is for municipalities that newly start the national ひきこもり地域支援センター等設置運営事業,
for at most two years per municipality (都補助要綱).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.dates import fiscal_year_label

#: Years of subsidy one municipality may receive (都補助要綱: 原則2年を上限).
YEAR_LIMIT = 2


class Call(models.Model):
    """One fiscal year's call for applications (公募)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)
    opens_on = models.DateField(_("applications open on"))
    closes_at = models.DateTimeField(_("applications close at"))
    budget = models.PositiveBigIntegerField(_("budget (yen)"))
    subsidy_rate = models.PositiveSmallIntegerField(
        _("subsidised share (%)"), default=50, help_text=_("The share of eligible expenses the subsidy pays.")
    )
    max_grant = models.PositiveBigIntegerField(_("upper limit per municipality (yen)"), null=True, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    rules = models.TextField(_("rules"), blank=True)
    report_due = models.DateField(_("performance report due"))
    opened_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("subsidy call")
        verbose_name_plural = _("subsidy calls")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subsidy_rate__gt=0, subsidy_rate__lte=100), name="call_rate_range"
            )
        ]

    def __str__(self) -> str:
        return f"{fiscal_year_label(self.fiscal_year)} 立ち上げ支援補助"

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def is_published(self) -> bool:
        return self.opened_at is not None

    def accepts_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and timezone.localdate(now) >= self.opens_on and now < self.closes_at


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        GRANTED = "granted", _("Grant decided")
        NOT_GRANTED = "not_granted", _("Not granted")
        REPORTED = "reported", _("Performance report submitted")
        REPORT_RETURNED = "report_returned", _("Performance report returned")
        FINAL = "final", _("Final amount confirmed")

    #: Statuses in which the subsidy counts as a year used against the limit.
    USED = ("granted", "reported", "report_returned", "final")
    EDITABLE = ("draft", "returned")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # the project plan
    project_name = models.CharField(_("what the municipality starts"), max_length=200, blank=True)
    starts_on = models.DateField(_("starting from"), null=True, blank=True)
    staffing = models.TextField(pgettext_lazy("start-up subsidy", "staff"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    plan = models.TextField(_("plan of the project"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    year_number = models.PositiveSmallIntegerField(_("year of the subsidy"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # the decision
    number = models.CharField(_("decision number"), max_length=40, blank=True)
    granted_amount = models.PositiveBigIntegerField(_("granted amount (yen)"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # the performance report
    report_summary = models.TextField(_("what was done"), blank=True)
    report_submitted_at = models.DateTimeField(null=True, blank=True)
    final_amount = models.PositiveBigIntegerField(_("confirmed amount (yen)"), null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-call__fiscal_year", "organization__code"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organization"], name="subsidy_application_unique_org"),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="subsidy_decision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call.label} 立ち上げ支援補助（{self.organization}）"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_granted(self) -> bool:
        return self.status in self.USED

    @property
    def report_editable(self) -> bool:
        return self.status in (self.Status.GRANTED, self.Status.REPORT_RETURNED)


class ExpenseLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        FEES = "fees", _("Honoraria")
        TRAVEL = "travel", _("Travel")
        SUPPLIES = "supplies", _("Supplies and printing")
        SERVICES = "services", _("Communication and services")
        COMMISSION = "commission", _("Commissioned work")
        RENT = "rent", _("Rent and hire")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("item"), max_length=200)
    planned = models.PositiveBigIntegerField(_("planned amount (yen)"))
    actual = models.PositiveBigIntegerField(_("actual amount (yen)"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.description


def document_upload_to(instance, filename):
    return f"subsidies/{instance.application_id}/{filename}"  # the random name from uploads.store


class Document(models.Model):
    """A required document, versioned: each upload for the same requirement is a new version."""

    class Stage(models.TextChoices):
        APPLICATION = "application", _("Application")
        CHANGE = "change", _("Change request")
        REPORT = "report", _("Performance report")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLICATION)
    requirement = models.CharField(_("document"), max_length=200)
    number = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=document_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "requirement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "requirement", "number"], name="subsidy_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement} 第{self.number}版"


class Revision(models.Model):
    """What was submitted each time (plan, lines and document versions), so history stays."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="subsidy_revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


class Comment(models.Model):
    """A correction request on one section, from one return (round)."""

    class Section(models.TextChoices):
        PLAN = "plan", _("Project plan")
        EXPENSES = "expenses", _("Expenses")
        DOCUMENTS = "documents", _("Documents")
        REPORT = "report", _("Performance report")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    round = models.PositiveSmallIntegerField()
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    body = models.TextField(_("what to correct"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-round", "section", "pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()} ({self.round})"


class ChangeRequest(models.Model):
    """A change of the granted project during the year (変更申請)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="changes")
    reason = models.TextField(_("what changes and why"))
    new_amount = models.PositiveBigIntegerField(_("new granted amount (yen)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(_("response"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application} 変更申請"
