from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms

from . import services
from .models import FIELDS, FORMATS, AvailabilityException, ExpertSchedule, WeeklyHours


class ConsultationForm(core_forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=FIELDS)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("What would you like to discuss?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_(
            "About your organisation's work. "
            "Do not write the names or contact details of the people you support."
        ),
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.RadioSelect)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who will attend"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    preferred_1 = forms.DateField(
        label=_("Preferred date 1"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_2 = forms.DateField(
        label=_("Preferred date 2"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_3 = forms.DateField(
        label=_("Preferred date 3"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, colleagues, held=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = colleagues
        self.fields["attendees"].label_from_instance = lambda u: u.get_full_name()
        earliest = services.earliest_preferred_date()
        for name in ("preferred_1", "preferred_2", "preferred_3"):
            self.fields[name].widget.attrs["min"] = earliest.isoformat()
        if held:  # the slot decides the expert, and the expert's discipline is the field
            for name in ("field", "preferred_1", "preferred_2", "preferred_3"):
                del self.fields[name]

    def _clean_preferred(self, name):
        day = self.cleaned_data.get(name)
        if day:
            problem = services.preferred_date_problem(day)
            if problem:
                raise forms.ValidationError(problem)
        return day

    def clean_preferred_1(self):
        return self._clean_preferred("preferred_1")

    def clean_preferred_2(self):
        return self._clean_preferred("preferred_2")

    def clean_preferred_3(self):
        return self._clean_preferred("preferred_3")


class DeclineForm(core_forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RecordForm(core_forms.Form):
    summary = forms.CharField(
        label=_("Advice summary (shared with the organisation)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=6000,
    )
    private_notes = forms.CharField(
        label=_("Private notes (secretariat only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=6000,
    )


class FeedbackForm(core_forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the consultation? (1–5)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class QuotaExceptionForm(core_forms.Form):
    prefix = "quota"  # the consultation page holds other forms with a reason field (decline)

    extra = forms.IntegerField(label=_("Additional consultations"), min_value=1, max_value=20, initial=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ScheduleForm(core_forms.ModelForm):
    formats = forms.MultipleChoiceField(
        label=_("formats offered"), choices=FORMATS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ExpertSchedule
        fields = [
            "profile",
            "formats",
            "venue",
            "slot_minutes",
            "buffer_minutes",
            "min_notice_hours",
            "horizon_days",
        ]
        widgets = {"profile": forms.Textarea(attrs={"rows": 3})}


class WeeklyHoursForm(core_forms.ModelForm):
    class Meta:
        model = WeeklyHours
        fields = ["weekday", "start", "end"]
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data


class ExceptionForm(core_forms.ModelForm):
    class Meta:
        model = AvailabilityException
        fields = ["date", "kind", "start", "end"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("kind") == "open" and not (data.get("start") and data.get("end")):
            self.add_error("start", _("Give the hours you are available."))
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data
