from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core import waitlist
from portal.core.forms import OnlinePlacesMixin, ScheduleForm, SeriesForm

from .models import Event, ProgrammeItem, Registration


class EventForm(OnlinePlacesMixin, ScheduleForm):
    deadline_message = _("The deadline must be before the meeting.")

    audience = forms.MultipleChoiceField(
        label=_("who may register"),
        choices=[(k, v) for k, v in Organization.Kind.choices],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "area",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "audience",
            "admins_only",
            "capacity",
            "online_capacity",
            "online_unlimited",
            "per_organization",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_online()

    def clean(self):
        data = self._clean_online(super().clean())
        saved = self.instance if self.instance.pk else None
        for field, message in waitlist.past_date_errors(data, saved=saved).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class EventEditForm(EventForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgrammeItemForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ProgrammeItem.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    speaker = forms.CharField(label=_("speaker"), max_length=200, required=False)
    starts_at = forms.TimeField(
        label=_("time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class RegistrationForm(core_forms.Form):
    mode = forms.ChoiceField(
        label=_("attendance"),
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
        initial=Registration.Mode.VENUE,
    )
    accessibility = forms.CharField(
        label=_("accessibility needs"),
        required=False,
        max_length=500,
        help_text=_("e.g. wheelchair access, captions, a seat near the exit"),
    )
    colleague = forms.ModelChoiceField(
        label=_("Register a colleague (organisation admins)"), queryset=None, required=False
    )

    def __init__(self, *args, colleagues=None, online=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not online:  # no online places: the venue is the only choice
            del self.fields["mode"]
        if colleagues is None:
            del self.fields["colleague"]
        else:
            self.fields["colleague"].queryset = colleagues
            self.fields["colleague"].label_from_instance = lambda u: u.get_full_name()


class ProposalForm(core_forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(
        label=_("summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("No names or contact details of the people you support."),
    )
    file = forms.FileField(label=_("File (optional)"), required=False)
    file_checked = forms.BooleanField(
        label=_("I opened the attached file and checked it: it holds nothing that identifies a person"),
        required=False,
        help_text=_("Needed when the file cannot be read here (an image or a scanned PDF)."),
    )


class ExhibitorForm(core_forms.Form):
    staff_count = forms.IntegerField(label=_("staff attending"), min_value=1, max_value=10, initial=2)
    offer = forms.CharField(
        label=_("what you offer at the fair"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    file = forms.FileField(label=_("Materials (optional)"), required=False)


class MaterialForm(core_forms.Form):
    prefix = "material"  # the meeting page holds other forms with a title field (programme)

    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("File"))


class SurveyForm(core_forms.Form):
    rating = forms.TypedChoiceField(
        label=_("overall (1–5)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    useful = forms.CharField(
        label=_("what was useful"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    wishes = forms.CharField(
        label=_("topics for next time"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class EventSeriesForm(SeriesForm):
    """Several meetings of the same kind at once; each can be edited on its own afterwards."""

    kind = forms.ChoiceField(label=_("kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    area = forms.ChoiceField(label=_("area"), choices=Event.Area.choices, required=False)
    audience = forms.MultipleChoiceField(
        label=_("who may register"),
        choices=[(k, v) for k, v in Organization.Kind.choices],
        widget=forms.CheckboxSelectMultiple,
    )
    admins_only = forms.BooleanField(label=_("organisation admins only"), required=False)
    per_organization = forms.IntegerField(label=_("places per organisation"), min_value=1, initial=5)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["kind", "title", "area", "audience", "admins_only"]

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            **self.place_fields(),
            **{k: data[k] for k in ("kind", "title", "area", "audience", "admins_only", "per_organization")},
            "description": data["description"],
        }


class EventCopyForm(core_forms.Form):
    day = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
