"""巡回相談 (touring consultation days at municipal facilities) and 訪問相談 (home-visit referrals
through a municipality's window).

Bookings and referrals describe residents: 要配慮個人情報. Only the minimum is held (an initial or
nickname, an age band, a contact route the municipality keeps); free text passes the personal-data
guard; referral narratives are purged after the retention period.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgeBand(models.TextChoices):
    TEENS = "10s", _("10–19")
    TWENTIES = "20s", _("20–29")
    THIRTIES = "30s", _("30–39")
    FORTIES = "40s", _("40–49")
    FIFTIES = "50s", _("50–59")
    SIXTIES_PLUS = "60s+", _("60 or older")
    UNKNOWN = "unknown", _("Unknown")


class OutreachPlan(models.Model):
    """A fiscal year's 巡回相談: the host municipalities, two days each."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"), unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("touring consultation plan")
        verbose_name_plural = _("touring consultation plans")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"outreach plan {self.fiscal_year}"


class OutreachHost(models.Model):
    """One host municipality of a plan: its facility, contact person and state."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        REPORTED = "reported", _("Reported")

    plan = models.ForeignKey(OutreachPlan, on_delete=models.CASCADE, related_name="hosts")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    facility_name = models.CharField(_("facility"), max_length=200, blank=True)
    facility_address = models.CharField(_("address of the facility"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=200, blank=True)
    access = models.CharField(_("access"), max_length=500, blank=True)
    barrier_free = models.CharField(_("barrier-free notes"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_department = models.CharField(_("department of the contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone of the window"), max_length=40, blank=True)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    date_proposal = models.CharField(
        _("other dates proposed by the municipality"), max_length=500, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("touring consultation host")
        verbose_name_plural = _("touring consultation hosts")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organization"], name="outreach_one_host_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.plan.fiscal_year}"

    @property
    def facility_complete(self) -> bool:
        return bool(self.facility_name and self.facility_address and self.contact_name)


class OutreachDay(models.Model):
    host = models.ForeignKey(OutreachHost, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff")
    )
    held_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("touring consultation day")
        verbose_name_plural = _("touring consultation days")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.host} {self.date}"


class OutreachSlot(models.Model):
    """About 45 minutes for one resident (or family); one booking per slot."""

    day = models.ForeignKey(OutreachDay, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        verbose_name = _("touring consultation slot")
        verbose_name_plural = _("touring consultation slots")
        ordering = ["day", "number"]
        constraints = [models.UniqueConstraint(fields=["day", "number"], name="outreach_slot_number")]

    def __str__(self) -> str:
        return f"{self.day} #{self.number}"

    @property
    def capacity_key(self) -> str:
        return f"outreach-slot:{self.pk}"


class SlotBooking(models.Model):
    """A municipality books a slot on a resident's behalf (or joins the day's waiting list)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("own cancellation", "Cancelled")

    class Relationship(models.TextChoices):
        SELF = "self", _("The person themself")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        SPOUSE = "spouse", _("Spouse or partner")
        OTHER = "other", _("Other relative or supporter")

    class Outcome(models.TextChoices):
        NONE = "", _("Not recorded")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not come")
        REFERRED = "referred", _("Held and referred")

    day = models.ForeignKey(OutreachDay, on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(
        OutreachSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    initial = models.CharField(_("initial or nickname"), max_length=20)
    relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices
    )
    age_band = models.CharField(_("age band of the person"), max_length=10, choices=AgeBand.choices)
    resident_municipality = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality they live in"),
    )
    contact_route = models.CharField(_("how the municipality reaches them"), max_length=200)
    topic = models.TextField(_("what they want to talk about"), max_length=1000)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The resident's text is erased OUTREACH_BOOKING_RETENTION_DAYS after the day (core.purge).
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("touring consultation booking")
        verbose_name_plural = _("touring consultation bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="confirmed"), name="outreach_one_booking_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"booking {self.pk}"


BOOKING_TEXT_FIELDS = ["initial", "contact_route", "topic"]


class BookingConfirmation(models.Model):
    """A kept finding of the personal-data guard: field, kind and ``pii.finding_key`` (keyed),
    never the text."""

    booking = models.ForeignKey(SlotBooking, on_delete=models.CASCADE, related_name="pii_confirmations")
    field = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    text_hash = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kept passage of a booking")
        verbose_name_plural = _("kept passages of bookings")

    def __str__(self) -> str:
        return f"{self.field} {self.kind}"


# --- 訪問相談 -------------------------------------------------------------------------------------

REFERRAL_NARRATIVE_FIELDS = [
    "pseudonym",
    "household",
    "tried",
    "preferred_times",
    "exception_reason",
    "interview_note",
]


class VisitReferral(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INFO_REQUESTED = "info_requested", _("More information requested")
        ACCEPTED = "accepted", _("Accepted: interview to be arranged")
        DECLINED = "declined", _("Declined")
        INTERVIEW = "interview", _("Interview scheduled")
        VISITING = "visiting", _("Home visits")
        CLOSED = "closed", _("Closed")

    class ConsentBy(models.TextChoices):
        PERSON = "person", _("The person themself")
        FAMILY = "family", _("The family, with the person's agreement")

    class ConsentHow(models.TextChoices):
        IN_PERSON = "in_person", _("In person at the window")
        PHONE = "phone", _("By phone")
        WRITING = "writing", _("In writing")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    pseudonym = models.CharField(_("pseudonym or initial"), max_length=50)
    age = models.PositiveSmallIntegerField(_("age"))
    compulsory_education_done = models.BooleanField(_("has finished compulsory education"))
    lives_in_tokyo = models.BooleanField(_("lives in Tokyo"))
    withdrawal_months = models.PositiveSmallIntegerField(_("months in withdrawal"))
    is_exception = models.BooleanField(_("sent as an exception"), default=False)
    exception_reason = models.TextField(_("reason for the exception"), blank=True, max_length=1000)
    household = models.TextField(_("household situation"), max_length=2000)
    tried = models.TextField(_("what has been tried"), blank=True, max_length=2000)
    consent_by = models.CharField(_("who consented"), max_length=10, choices=ConsentBy.choices)
    consent_how = models.CharField(_("how consent was given"), max_length=10, choices=ConsentHow.choices)
    consent_on = models.DateField(_("when consent was given"))
    preferred_times = models.CharField(_("preferred times for the preliminary interview"), max_length=500)
    municipality_note = models.TextField(_("note for the municipality"), blank=True, max_length=2000)
    decline_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    interview_at = models.DateTimeField(_("preliminary interview"), null=True, blank=True)
    interview_place = models.CharField(_("place of the interview"), max_length=200, blank=True)
    interview_note = models.TextField(_("outcome of the interview"), blank=True, max_length=2000)
    visits_allowed = models.PositiveSmallIntegerField(_("visits allowed"), default=5)
    extension_reason = models.TextField(_("reason for more visits"), blank=True, max_length=1000)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("home-visit referral")
        verbose_name_plural = _("home-visit referrals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.reference


class ReferralTransition(models.Model):
    referral = models.ForeignKey(VisitReferral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=VisitReferral.Status.choices)
    to_status = models.CharField(max_length=16, choices=VisitReferral.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("home-visit referral step")
        verbose_name_plural = _("home-visit referral steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class HomeVisit(models.Model):
    referral = models.ForeignKey(VisitReferral, on_delete=models.CASCADE, related_name="visits")
    number = models.PositiveSmallIntegerField()
    visited_on = models.DateField(_("date of the visit"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("who went"))
    record = models.TextField(_("short record"), max_length=2000)
    shared = models.BooleanField(_("share with the municipality"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["referral", "number"], name="home_visit_number")]

    def __str__(self) -> str:
        return f"{self.referral} #{self.number}"


class ReferralConfirmation(models.Model):
    referral = models.ForeignKey(VisitReferral, on_delete=models.CASCADE, related_name="pii_confirmations")
    field = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    text_hash = models.CharField(max_length=64)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kept passage of a referral")
        verbose_name_plural = _("kept passages of referrals")

    def __str__(self) -> str:
        return f"{self.field} {self.kind}"
