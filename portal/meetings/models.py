"""支援者交流会 / 交流会 / 合同相談会: registration, waiting lists, 事例提供, exhibitors, materials."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.models import SeatRegistration


class Event(models.Model):
    class Kind(models.TextChoices):
        SUPPORTERS = "supporters", _("Supporters' exchange meeting (支援者交流会)")
        PARTNERS = "partners", _("Partner organisations' exchange meeting (交流会)")
        FAIR = "fair", _("Joint consultation fair (合同相談会)")

    class Area(models.TextChoices):
        NONE = "", _("—")
        EAST = "east", _("East")
        CENTRE = "centre", _("Centre")
        WEST = "west", _("West")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("area"), max_length=10, choices=Area.choices, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    audience = models.JSONField(_("who may register"), default=list)  # organisation kinds
    capacity = models.PositiveIntegerField(_("venue places"), default=30)
    # Places for online participants beyond the venue: a number, 0 = none, empty = no limit.
    online_capacity = models.PositiveIntegerField(_("online places"), null=True, blank=True, default=0)
    per_organization = models.PositiveIntegerField(_("places per organisation"), default=5)
    registration_deadline = models.DateTimeField(_("registration deadline"))
    description = models.TextField(_("description"), blank=True)
    admins_only = models.BooleanField(_("organisation admins only"), default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("exchange meeting or fair")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def capacity_key(self) -> str:
        return f"event:{self.pk}"

    @property
    def has_online(self) -> bool:
        """Online places exist (a number above 0, or no limit)."""
        return self.online_capacity != 0


class ProgrammeItem(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        CASE = "case", _("Case presentation")
        GROUP = "group", _("Group work")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(SeatRegistration):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta(SeatRegistration.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.event}"


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to="event-materials/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class PresentationProposal(models.Model):
    """事例提供: an attendee proposes a case or practice presentation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000)
    file = models.FileField(upload_to="event-proposals/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class ExhibitorApplication(models.Model):
    """合同相談会: a partner organisation applies to exhibit."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="exhibitors")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    staff_count = models.PositiveSmallIntegerField(_("staff attending"), default=2)
    offer = models.TextField(_("what you offer at the fair"), max_length=2000)
    file = models.FileField(upload_to="event-exhibitors/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="one_application_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event}"


class SurveyResponse(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="survey")
    rating = models.PositiveSmallIntegerField(_("overall (1–5)"))
    useful = models.TextField(_("what was useful"), blank=True, max_length=2000)
    wishes = models.TextField(_("topics for next time"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"survey {self.registration_id}"
