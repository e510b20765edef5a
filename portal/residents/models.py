"""相談方法 and the Support Net's own services for people in hikikomori and their families:
the public pages, 個別相談 (individual consultation days), 家族セミナー (family seminars) and
ピアオンライン相談 (peer online consultation).

Applications describe residents: only what the seed's application asks for is kept, only the
secretariat sees it, and it is purged a retention period after the day (``RESIDENTS_RETENTION_DAYS``).
No application has an account: a signed, single-purpose, expiring link cancels it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.models import SeatMode, SeatStatus

TOKYO = dt.timezone(dt.timedelta(hours=9))


def new_reference() -> str:
    # 8 characters without look-alikes (0/O, 1/I/L): read out on the phone.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_nonce() -> str:
    return secrets.token_hex(8)


class Venue(models.TextChoices):
    ADACHI = "adachi", _("Adachi")
    HACHIOJI = "hachioji", _("Hachioji")


VENUE_NAMES = {
    Venue.ADACHI: "東京都ひきこもりサポートネット 足立相談室",
    Venue.HACHIOJI: "東京都ひきこもりサポートネット 八王子相談室",
}
FREE_DIAL = "0120-529-528"  # the Support Net's free dial (R7: Mon–Sat 10:00–17:00)


class Relationship(models.TextChoices):
    SELF = "self", _("The person themself")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other / prefer not to say")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("By phone")
    MAIL = "mail", _("By e-mail")


# --- public pages ------------------------------------------------------------------------------


class Page(models.Model):
    """One public page for residents, written by the secretariat. ``publish_from`` empty: a draft."""

    class Kind(models.TextChoices):
        METHODS = "methods", _("How to consult")
        ABOUT = "about", _("About the Support Net")
        PERSON = "person", _("For you, the person")
        FAMILY = "family", _("For families")
        CASES = "cases", _("Consultation examples")

    kind = models.CharField(_("page"), max_length=10, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    lead = models.TextField(_("introduction"), blank=True)
    body = models.TextField(
        _("text"), help_text=_("Markdown: a blank line between paragraphs, ## for headings.")
    )
    publish_from = models.DateTimeField(_("publication date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("residents' page")
        verbose_name_plural = _("residents' pages")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.publish_from is not None and self.publish_from <= timezone.now()


class PageRevision(models.Model):
    """What a page said at each save (the history coordinators read)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    lead = models.TextField(blank=True)
    body = models.TextField()
    publish_from = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["page", "version"], name="residents_page_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.version}"


# --- 個別相談 ---------------------------------------------------------------------------------


class ConsultationDay(models.Model):
    """A day of 個別相談: weekdays four times (10:00/11:15/13:15/14:30), weekends two (15:15/16:30),
    two pairs at each time. Applications close at 17:00 on ``deadline``."""

    class Kind(models.TextChoices):
        WEEKDAY = "weekday", pgettext_lazy("consultation day", "Weekday")
        WEEKEND = "weekend", pgettext_lazy("consultation day", "Weekend")

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=10, choices=Venue.choices)
    deadline = models.DateField(_("application deadline"))
    is_published = models.BooleanField(_("published"), default=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("individual consultation day")
        verbose_name_plural = _("individual consultation days")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "kind", "number"], name="residents_day_number_once"
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__lt=models.F("date")), name="residents_day_deadline_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.venue}"

    @property
    def deadline_at(self) -> dt.datetime:
        return dt.datetime.combine(self.deadline, dt.time(17, 0), tzinfo=TOKYO)

    def is_open(self, now=None) -> bool:
        return self.is_published and (now or timezone.now()) < self.deadline_at


class ConsultationSlot(models.Model):
    """One time of a day: two pairs (組) at most, counted by the capacity engine."""

    PAIRS = 2

    day = models.ForeignKey(ConsultationDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["day", "starts_at"], name="residents_slot_once")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def capacity_key(self) -> str:
        return f"residents.slot:{self.pk}"


class Application(models.Model):
    """What every application holds: the applicant, how to reach them, the link that cancels it."""

    reference = models.CharField(_("reference number"), max_length=8, unique=True, default=new_reference)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name in kana"), max_length=100)
    municipality = models.CharField(_("municipality of residence"), max_length=40)
    phone = models.CharField(_("phone number"), max_length=20)
    email = models.EmailField(_("e-mail address"), blank=True)
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("secretariat's note"), blank=True)
    nonce = models.CharField(max_length=16, default=new_nonce)  # a used link's nonce is replaced
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    # The capacity engine's offers name a holder account; residents have none.
    user = None

    class Meta:
        abstract = True


class IndividualApplication(Application):
    """An application for 個別相談 with up to three preferred times; the secretariat assigns one of
    them (or proposes another) and tells the applicant."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, time not yet arranged")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("A time is offered")
        DECLINED = "declined", _("Could not be arranged")
        CANCELLED = "cancelled", _("Cancelled by request")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices
    )
    subject_municipality = models.CharField(_("where the person lives"), max_length=40)
    subject_age = models.PositiveSmallIntegerField(_("age of the person"), null=True, blank=True)
    subject_gender = models.CharField(
        _("gender of the person"), max_length=10, choices=Gender.choices, blank=True
    )
    preference1 = models.ForeignKey(
        ConsultationSlot, on_delete=models.PROTECT, related_name="+", verbose_name=_("first choice")
    )
    preference2 = models.ForeignKey(
        ConsultationSlot,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("second choice"),
    )
    preference3 = models.ForeignKey(
        ConsultationSlot,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("third choice"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    slot = models.ForeignKey(
        ConsultationSlot,
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("time"),
    )
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    told_by = models.CharField(_("told by"), max_length=10, choices=Channel.choices, blank=True)
    attendance = models.CharField(
        _("attendance record"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    reminders_sent = models.JSONField(default=list, blank=True)
    seminar_day = models.BooleanField(_("after the family seminar of the same day"), default=False)

    class Meta:
        verbose_name = _("individual consultation application")
        verbose_name_plural = _("individual consultation applications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    def preferences(self) -> list[ConsultationSlot]:
        return [s for s in (self.preference1, self.preference2, self.preference3) if s is not None]


# --- 家族セミナー -------------------------------------------------------------------------------


class Seminar(models.Model):
    """A family seminar on a weekend day, 13:00–15:00: 15 seats at the venue and online beyond that.
    The individual consultation day of the same date follows it (``consultation_day``)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    theme = models.CharField(_("theme"), max_length=200)
    lecturer = models.CharField(_("lecturer"), max_length=200)
    venue = models.CharField(_("venue"), max_length=10, choices=Venue.choices)
    capacity = models.PositiveSmallIntegerField(_("seats at the venue"), default=15)
    online = models.BooleanField(_("online participation"), default=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    deadline = models.DateField(_("application deadline"))
    consultation_day = models.ForeignKey(
        ConsultationDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seminars",
        verbose_name=_("individual consultation the same day"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family seminar")
        verbose_name_plural = _("family seminars")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="residents_seminar_number_once"),
        ]

    def __str__(self) -> str:
        return self.theme

    @property
    def capacity_key(self) -> str:
        return f"residents.seminar:{self.pk}"

    @property
    def deadline_at(self) -> dt.datetime:
        return dt.datetime.combine(self.deadline, dt.time(17, 0), tzinfo=TOKYO)

    def is_open(self, now=None) -> bool:
        return self.is_published and (now or timezone.now()) < self.deadline_at


class SeminarApplication(Application):
    """One application for one or more seminars (one seat per seminar)."""

    class Meta:
        verbose_name = _("family seminar application")
        verbose_name_plural = _("family seminar applications")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.reference


class SeminarSeat(models.Model):
    """A place at one seminar, at the venue or online, moved between the states by core.waitlist."""

    Status = SeatStatus
    Mode = SeatMode

    application = models.ForeignKey(SeminarApplication, on_delete=models.CASCADE, related_name="seats")
    seminar = models.ForeignKey(Seminar, on_delete=models.PROTECT, related_name="seats")
    mode = models.CharField(_("attendance"), max_length=10, choices=SeatMode.choices, default=SeatMode.VENUE)
    status = models.CharField(_("status"), max_length=12, choices=SeatStatus.choices)
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    user = None

    class Meta:
        verbose_name = _("family seminar seat")
        verbose_name_plural = _("family seminar seats")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "seminar"], name="residents_one_seat_per_seminar"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.seminar_id}"

    def status_label(self) -> str:
        """The seat's state in the words of a letter to a family (the engine's labels are staff's)."""
        return str(SEAT_LABELS[self.status])


SEAT_LABELS = {
    SeatStatus.CONFIRMED: _("Seat confirmed"),
    SeatStatus.WAITLISTED: _("Waiting for a seat"),
    SeatStatus.OFFERED: _("A seat is offered to you"),
    SeatStatus.CANCELLED: _("Cancelled by request"),
}


# --- ピアオンライン相談 -------------------------------------------------------------------------


class PeerDay(models.Model):
    """A day of peer online consultation (weekly): peer supporters of families or of people who
    went through hikikomori themselves, four pairs a day, one hour each, online or by phone."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family peer supporters")
        SELF = "self", _("Peer supporters who went through it themselves")

    fiscal_year = models.PositiveIntegerField(_("fiscal year"))
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer online consultation day")
        verbose_name_plural = _("peer online consultation days")
        ordering = ["date"]

    def __str__(self) -> str:
        return str(self.date)


class PeerSlot(models.Model):
    day = models.ForeignKey(PeerDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["day", "starts_at"], name="residents_peer_slot_once")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def capacity_key(self) -> str:
        return f"residents.peer:{self.pk}"


class PeerBooking(models.Model):
    """A booking the secretariat makes after a phone or mail consultation: a nickname is enough."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online meeting")
        PHONE = "phone", _("By phone")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Booked")
        CANCELLED = "cancelled", _("Cancelled by request")

    reference = models.CharField(_("reference number"), max_length=8, unique=True, default=new_reference)
    slot = models.ForeignKey(PeerSlot, on_delete=models.PROTECT, related_name="bookings")
    nickname = models.CharField(_("nickname"), max_length=50)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    reservation = models.ForeignKey(
        "core.Reservation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("secretariat's note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nonce = models.CharField(max_length=16, default=new_nonce)
    reminders_sent = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peer online consultation booking")
        verbose_name_plural = _("peer online consultation bookings")
        ordering = ["slot__starts_at", "pk"]

    def __str__(self) -> str:
        return self.reference
