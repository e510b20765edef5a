from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core.dates import add_business_days, fiscal_year_of, is_business_day, wareki
from portal.core.forms import FlexibleIntegerField
from portal.core.widgets import MunicipalityChecklist

from .models import HearingSheet, Question, Section

LONG_TEXT_MAX = 4000
SHORT_TEXT_MAX = 200
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# Dates a person picks for the exchange (the hearing sheet's preferred dates, the session date):
# a business day (no weekend, national holiday or year-end closure) with enough notice.
PREFERRED_DATE_PREFIX = "preferred_date"
PREFERRED_DATE_NOTICE_BUSINESS_DAYS = 5


def day_label(day: dt.date) -> str:
    return wareki(day, weekday=True)


def check_pickable_day(day: dt.date, *, notice_business_days: int) -> None:
    """Refuse a past day, a day with too little notice, and a day that is not a business day, with
    a message that says which days can be chosen."""
    earliest = add_business_days(timezone.localdate(), notice_business_days)
    if day < earliest or not is_business_day(day):
        raise forms.ValidationError(
            _(
                "%(day)s cannot be chosen. Choose a weekday from %(earliest)s on: at least %(n)d "
                "business days ahead, not a Saturday, Sunday, national holiday or the year-end "
                "closure (29 December to 3 January)."
            )
            % {"day": day_label(day), "earliest": day_label(earliest), "n": notice_business_days},
            code="not_pickable",
        )


def field_name(question_key: str) -> str:
    return f"q_{question_key}"


class HearingSheetForm(core_forms.Form):
    """One field per question. Nothing is required while drafting; submission checks the
    required answers (services.missing_required) and the view marks what is missing."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            self.fields[field_name(q.key)] = self._field_for(q)

    @staticmethod
    def _field_for(q: Question) -> forms.Field:
        common = {"label": q.label, "help_text": q.help_text, "required": False}
        kind = Question.Kind
        if q.kind == kind.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
        if q.kind == kind.LONG_TEXT:
            return forms.CharField(
                max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}), **common
            )
        if q.kind == kind.NUMBER:
            return FlexibleIntegerField(min_value=0, max_value=10_000_000, **common)
        if q.kind == kind.SINGLE:
            return forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=forms.RadioSelect, **common)
        if q.kind == kind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in q.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        if q.kind == kind.DATE:
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if q.kind == kind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        return forms.FileField(**common)

    def clean(self):
        data = super().clean()
        for q in self.questions:
            name = field_name(q.key)
            day = data.get(name)
            if q.kind == Question.Kind.DATE and q.key.startswith(PREFERRED_DATE_PREFIX) and day:
                try:
                    check_pickable_day(day, notice_business_days=PREFERRED_DATE_NOTICE_BUSINESS_DAYS)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data

    @classmethod
    def initial_from(cls, sheet: HearingSheet, questions) -> dict:
        initial = {"version": sheet.version}
        for q in questions:
            value = sheet.answers.get(q.key)
            if q.kind == Question.Kind.FILE or value in (None, ""):
                continue
            if q.kind == Question.Kind.DATE:
                try:
                    value = dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    continue
            initial[field_name(q.key)] = value
        return initial

    def answers(self) -> dict:
        """The cleaned answers as stored in JSON (files are handled apart)."""
        out = {}
        for q in self.questions:
            if q.kind == Question.Kind.FILE:
                continue
            value = self.cleaned_data.get(field_name(q.key))
            if isinstance(value, dt.date):
                value = value.isoformat()
            if isinstance(value, str):
                value = value.strip()
            if value in (None, "", []):
                continue
            out[q.key] = value
        return out

    def uploads(self) -> list[tuple[str, object]]:
        return [
            (q.key, self.cleaned_data[field_name(q.key)])
            for q in self.questions
            if q.kind == Question.Kind.FILE and self.cleaned_data.get(field_name(q.key))
        ]

    def sections(self):
        """[(section, [bound fields])] in display order, for the template."""
        grouped: dict[int, tuple] = {}
        for q in self.questions:
            grouped.setdefault(q.section_id, (q.section, []))[1].append((q, self[field_name(q.key)]))
        return list(grouped.values())


class ProgrammeForm(core_forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (Western year in which it starts)"), min_value=2019, max_value=2100
    )
    target_count = forms.IntegerField(
        label=_("Target number of municipalities"), min_value=1, max_value=62, initial=10
    )
    hearing_deadline = forms.DateField(
        label=_("Hearing sheet deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    accepts_applications = forms.BooleanField(
        label=_("Municipalities may apply"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of(timezone.localdate())

    def clean(self):
        data = super().clean()
        fy, deadline = data.get("fiscal_year"), data.get("hearing_deadline")
        if fy and deadline and not dt.date(fy, 4, 1) <= deadline <= dt.date(fy + 1, 3, 31):
            self.add_error("hearing_deadline", _("The deadline must fall within the fiscal year."))
        return data


class ProgrammeEditForm(ProgrammeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].disabled = True


class AddParticipantsForm(core_forms.Form):
    organizations = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Organization.objects.none(),
        widget=MunicipalityChecklist,
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        taken = programme.participations.values_list("organization_id", flat=True)
        self.fields["organizations"].queryset = Organization.objects.filter(
            kind=Organization.Kind.MUNICIPALITY, is_active=True
        ).exclude(pk__in=taken)


class ApplyForm(core_forms.Form):
    message = forms.CharField(
        label=_("Message to the secretariat (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SectionForm(core_forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description", "order"]


class QuestionForm(core_forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    class Meta:
        model = Question
        fields = ["section", "order", "key", "label", "help_text", "kind", "required", "prefill"]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["section"].queryset = programme.sections.all()
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices)

    def clean_key(self):
        key = self.cleaned_data["key"]
        clash = self.programme.questions.filter(key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another question of this year uses this key."))
        return key

    def clean(self):
        data = super().clean()
        choices = [c.strip() for c in (data.get("choices_text") or "").splitlines() if c.strip()]
        if data.get("kind") in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not choices:
            self.add_error("choices_text", _("A choice question needs at least one choice."))
        data["choices"] = choices
        return data


class ReturnForm(core_forms.Form):
    comment = forms.CharField(
        label=_("What should be changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class NoteForm(core_forms.Form):
    body = forms.CharField(
        label=_("Note (visible to the secretariat only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


SESSION_NOTICE_BUSINESS_DAYS = 1  # the invitation goes out at least one business day before


class SessionForm(core_forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}))
    meeting_url = forms.URLField(label=_("Meeting URL"), max_length=500, assume_scheme="https")
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, participant_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participant_choices
        self.fields["participants"].label_from_instance = lambda u: f"{u.get_full_name()}（{u.email}）"

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = dt.datetime.combine(data["date"], data["start_time"], tzinfo=tz)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end_time"], tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The end must be after the start."))
        if data.get("date") and "date" in self.changed_data:
            try:
                check_pickable_day(data["date"], notice_business_days=SESSION_NOTICE_BUSINESS_DAYS)
            except forms.ValidationError as exc:
                self.add_error("date", exc)
        return data


class RecordForm(core_forms.Form):
    summary = forms.CharField(
        label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(core_forms.Form):
    description = forms.CharField(label=_("Follow-up action"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()
