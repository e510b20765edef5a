import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core.forms import FlexibleIntegerField

from .models import AgeBand, OutreachHost, SlotBooking, VisitReferral

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def municipalities():
    return Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by("code")


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class HostAddForm(core_forms.Form):
    organization = MunicipalityChoiceField(label=_("Host municipality"), queryset=Organization.objects.none())
    date_1 = forms.DateField(label=_("First day"), widget=DATE)
    date_2 = forms.DateField(label=_("Second day"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = municipalities()


class HostForm(core_forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = OutreachHost
        fields = [
            "facility_name",
            "facility_address",
            "room",
            "access",
            "barrier_free",
            "contact_name",
            "contact_department",
            "contact_phone",
            "application_deadline",
            "date_proposal",
        ]
        widgets = {
            "application_deadline": DATE,
            "access": forms.Textarea(attrs={"rows": 2}),
            "barrier_free": forms.Textarea(attrs={"rows": 2}),
            "date_proposal": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "application_deadline": _("Applications close at 17:00 on this day (printed on the flyer)."),
            "contact_phone": _("The window's phone number printed on the flyer, not a personal number."),
            "date_proposal": _(
                "If the dates do not suit you, propose others here; the Support Net will reply."
            ),
        }

    def host_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DayForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    start = forms.TimeField(label=_("First slot starts at"), widget=TIME)
    slot_count = FlexibleIntegerField(label=_("Number of slots"), min_value=1, max_value=10)
    slot_minutes = FlexibleIntegerField(label=_("Minutes per slot"), min_value=15, max_value=120)
    break_minutes = FlexibleIntegerField(label=_("Break between slots (minutes)"), min_value=0, max_value=120)
    staff = forms.ModelMultipleChoiceField(
        label=_("Support Net staff (two)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices


SLOT_TAKEN = _("Another municipality booked this slot a moment ago. Choose another slot or the waiting list.")


class SlotChoiceField(forms.ChoiceField):
    """The free slots are offered; a slot of the day taken since the page was shown is answered
    with what happened (someone else booked it), not with an invalid choice."""

    taken: frozenset[str] = frozenset()

    def validate(self, value):
        if value in self.taken:
            raise forms.ValidationError(SLOT_TAKEN, code="taken")
        super().validate(value)


class BookingForm(core_forms.ModelForm):
    slot = SlotChoiceField(label=_("Slot"), widget=forms.RadioSelect)
    resident_municipality = MunicipalityChoiceField(
        label=_("municipality they live in"), queryset=Organization.objects.none()
    )

    class Meta:
        model = SlotBooking
        fields = ["initial", "relationship", "age_band", "resident_municipality", "contact_route", "topic"]
        widgets = {"topic": forms.Textarea(attrs={"rows": 4}), "relationship": forms.RadioSelect}
        help_texts = {
            "initial": _("An initial or nickname only (e.g. A さん). Never the real name."),
            "contact_route": _(
                "How your window will reach them (e.g. by phone from the window). No numbers here."
            ),
            "topic": _("A few lines; no names, addresses or phone numbers."),
        }

    def __init__(self, *args, slots, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].taken = frozenset(str(pk) for pk in taken)
        self.fields["resident_municipality"].queryset = municipalities()
        self.fields["age_band"].choices = AgeBand.choices
        self.fields["relationship"].choices = SlotBooking.Relationship.choices
        self.fields["slot"].choices = [*slots, ("waitlist", _("Waiting list for this day"))]

    def booking_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "slot"}


class RecordForm(core_forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in SlotBooking.Outcome.choices if c[0]],
        widget=forms.RadioSelect,
    )
    referred_to = forms.CharField(label=_("referred to"), max_length=200, required=False)


class ReferralForm(core_forms.ModelForm):
    age = FlexibleIntegerField(label=_("age"), min_value=0, max_value=120)
    withdrawal_months = FlexibleIntegerField(label=_("months in withdrawal"), min_value=0, max_value=1200)
    compulsory_education_done = forms.BooleanField(
        label=_("has finished compulsory education"), required=False
    )
    lives_in_tokyo = forms.BooleanField(label=_("lives in Tokyo"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = VisitReferral
        fields = [
            "pseudonym",
            "age",
            "compulsory_education_done",
            "lives_in_tokyo",
            "withdrawal_months",
            "household",
            "tried",
            "consent_by",
            "consent_how",
            "consent_on",
            "preferred_times",
            "is_exception",
            "exception_reason",
        ]
        widgets = {
            "household": forms.Textarea(attrs={"rows": 3}),
            "tried": forms.Textarea(attrs={"rows": 3}),
            "exception_reason": forms.Textarea(attrs={"rows": 2}),
            "consent_by": forms.RadioSelect,
            "consent_how": forms.RadioSelect,
            "consent_on": DATE,
        }
        help_texts = {
            "pseudonym": _("A pseudonym or initials only (e.g. B さん). Never the real name."),
            "is_exception": _(
                "Only when a condition is not met and the visit is still needed; give the reason."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_by"].choices = VisitReferral.ConsentBy.choices
        self.fields["consent_how"].choices = VisitReferral.ConsentHow.choices

    def referral_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TriageForm(core_forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: arrange a preliminary interview")),
            ("more", _("Ask the municipality for more information")),
            ("decline", _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the municipality"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class InterviewForm(core_forms.Form):
    date = forms.DateField(label=_("Date of the interview"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME, initial=dt.time(14, 0))
    place = forms.CharField(label=_("place of the interview"), max_length=200)


class OutcomeForm(core_forms.Form):
    visit = forms.TypedChoiceField(
        label=_("Decision after the interview"),
        choices=[("1", _("Home visits begin")), ("0", _("No visits; close the referral"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("outcome of the interview"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    for_municipality = forms.CharField(
        label=_("Note for the municipality"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class VisitForm(core_forms.Form):
    visited_on = forms.DateField(label=_("date of the visit"), widget=DATE)
    staff = forms.ModelMultipleChoiceField(
        label=_("who went"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    record = forms.CharField(
        label=_("short record"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    shared = forms.BooleanField(label=_("share with the municipality"), required=False)

    def __init__(self, *args, staff_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_choices


class ExtendForm(core_forms.Form):
    reason = forms.CharField(
        label=_("reason for more visits"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CloseForm(core_forms.Form):
    note = forms.CharField(
        label=_("Note for the municipality"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
