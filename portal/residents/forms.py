"""Forms of the residents' services. The public forms ask exactly what the seed's application asks
and nothing more; each carries a hidden honeypot field a person never fills."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.dates import display
from portal.core.models import SeatMode

from .abuse import HONEYPOT
from .models import VENUE_NAMES, Channel, Gender, IndividualApplication, Page, PeerBooking, Relationship

phone_validator = RegexValidator(
    r"^[0-9０-９\-－ー() （）]{10,20}$", _("Enter a phone number of 10 or 11 digits, e.g. 090-1234-5678.")
)
kana_validator = RegexValidator(
    r"^[\u3040-\u30ff\u3000 ・ー]+$", _("Write the reading in hiragana or katakana.")
)


def slot_label(slot) -> str:
    return f"{display(slot.starts_at)}–{display(slot.ends_at, 'time')}　{VENUE_NAMES[slot.day.venue]}"


class HoneypotMixin(core_forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def confirm_rows(self) -> list[tuple[str, str]]:
        """What the confirmation screen shows: each field's label and what was chosen or typed."""
        rows = []
        for name, field in self.fields.items():
            if name == HONEYPOT:
                continue
            value = self.cleaned_data.get(name)
            choices = dict((str(k), v) for k, v in getattr(field, "choices", []) or [])
            if isinstance(value, list):
                shown = "、".join(str(choices.get(str(v), v)) for v in value)
            elif choices:
                shown = str(choices.get(str(value), "")) if value not in (None, "") else ""
            else:
                shown = "" if value in (None, "") else str(value)
            rows.append((str(field.label), shown or "—"))
        return rows


class ApplicantFields(core_forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    name_kana = forms.CharField(label=_("Your name in kana"), max_length=100, validators=[kana_validator])
    municipality = forms.ChoiceField(label=_("Where you live (ward, city, town or village)"))
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("For the receipt and the letter with the date. Without it, we call you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose"))] + [(m, m) for m in municipalities]
        self.fields["municipality"].choices = choices
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class IndividualForm(HoneypotMixin, ApplicantFields):
    relationship = forms.ChoiceField(
        label=_("Your relationship to the person"), choices=Relationship.choices, widget=forms.RadioSelect
    )
    subject_municipality = forms.ChoiceField(label=_("Where the person lives"))
    subject_age = forms.IntegerField(label=_("Age of the person"), min_value=0, max_value=120, required=False)
    subject_gender = forms.ChoiceField(
        label=_("Gender of the person"), choices=Gender.choices, widget=forms.RadioSelect, required=False
    )
    preference1 = forms.ChoiceField(label=_("First choice of date and time"))
    preference2 = forms.ChoiceField(label=_("Second choice"), required=False)
    preference3 = forms.ChoiceField(label=_("Third choice"), required=False)

    field_order = [
        "name",
        "name_kana",
        "municipality",
        "phone",
        "email",
        "relationship",
        "subject_municipality",
        "subject_age",
        "subject_gender",
        "preference1",
        "preference2",
        "preference3",
        "website",
    ]

    def __init__(self, *args, slots=(), municipalities=(), **kwargs):
        super().__init__(*args, municipalities=municipalities, **kwargs)
        self.slots = {str(s.pk): s for s in slots}
        choices = [("", _("Choose"))] + [(str(s.pk), slot_label(s)) for s in slots]
        for name in ("preference1", "preference2", "preference3"):
            self.fields[name].choices = choices
        self.fields["subject_municipality"].choices = self.fields["municipality"].choices

    def clean(self):
        data = super().clean()
        picked = [data.get(n) for n in ("preference1", "preference2", "preference3") if data.get(n)]
        if len(set(picked)) != len(picked):
            self.add_error("preference2", _("Choose different times for each choice."))
        data["preferences"] = [self.slots[p] for p in picked if p in self.slots]
        return data


class SeminarForm(HoneypotMixin, ApplicantFields):
    mode = forms.ChoiceField(label=_("How you take part"), choices=SeatMode.choices, widget=forms.RadioSelect)
    seminars = forms.MultipleChoiceField(
        label=_("Seminars (you may choose several)"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, seminars=(), municipalities=(), **kwargs):
        super().__init__(*args, municipalities=municipalities, **kwargs)
        self.seminar_map = {str(s.pk): s for s in seminars}
        self.fields["seminars"].choices = [
            (str(s.pk), f"{display(s.starts_at)}–{display(s.ends_at, 'time')}「{s.theme}」") for s in seminars
        ]

    def clean(self):
        data = super().clean()
        data["seminar_list"] = [
            self.seminar_map[p] for p in data.get("seminars") or [] if p in self.seminar_map
        ]
        return data


class PhoneIndividualForm(IndividualForm):
    """The same book for an application taken on the phone (or by mail): the staff types it in."""

    channel = forms.ChoiceField(
        label=_("Received by"), choices=[(Channel.PHONE, _("By phone")), (Channel.MAIL, _("By e-mail"))]
    )


class PageForm(core_forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "lead", "body", "publish_from"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 20}),
            "publish_from": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {"publish_from": _("Empty: a draft nobody else sees. The page appears from this time.")}


class AssignForm(core_forms.Form):
    slot = forms.ChoiceField(label=_("Time"))
    told_by = forms.ChoiceField(
        label=_("How the applicant is told"),
        choices=[(Channel.MAIL, _("By e-mail")), (Channel.PHONE, _("By phone"))],
        widget=forms.RadioSelect,
        initial=Channel.MAIL,
    )

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slot_map = {str(s.pk): s for s in slots}
        self.fields["slot"].choices = [("", _("Choose"))] + [(str(s.pk), slot_label(s)) for s in slots]


class PeerBookingForm(core_forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=50)
    mode = forms.ChoiceField(label=_("How"), choices=PeerBooking.Mode.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, required=False, validators=[phone_validator]
    )
    email = forms.EmailField(
        label=_("E-mail address"), required=False, help_text=_("For the booking letter and the reminders.")
    )
    note = forms.CharField(
        label=_("Secretariat's note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(core_forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[c for c in IndividualApplication.Attendance.choices if c[0]],
        widget=forms.RadioSelect,
    )


class SeminarEditForm(core_forms.Form):
    """The secretariat's own part of a family seminar: what it is about, who speaks, the seats at
    the venue, the online link (sent to confirmed online participants only) and whether it is shown."""

    prefix = "seminar"

    theme = forms.CharField(label=_("theme"), max_length=200)
    lecturer = forms.CharField(label=_("lecturer"), max_length=200)
    capacity = forms.IntegerField(label=_("seats at the venue"), min_value=1, max_value=200)
    online_url = forms.URLField(label=_("online meeting link"), required=False, assume_scheme="https")
    is_published = forms.BooleanField(label=_("Show on the public events page"), required=False)
