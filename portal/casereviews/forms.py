from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.dates import display
from portal.core.forms import FlexibleIntegerField

from .models import DISCIPLINES, Case, Meeting


class CaseForm(core_forms.ModelForm):
    age = FlexibleIntegerField(label=_("age"), required=False, min_value=0, max_value=120)
    withdrawal_years = FlexibleIntegerField(
        label=_("years of withdrawal"), required=False, min_value=0, max_value=80
    )
    disciplines = forms.MultipleChoiceField(
        label=_("disciplines wanted"),
        choices=DISCIPLINES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attachments = forms.FileField(
        label=_("Attachment (PDF, Word or image, e.g. a genogram)"),
        required=False,
        help_text=_(
            "PDF, Word (.docx), PNG or JPEG up to 10 MB. Remove names from genograms; accept or reject "
            "every tracked change and delete comments in Word files first."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = [
            "pseudonym",
            "age",
            "age_band",
            "gender",
            "withdrawal_years",
            "living_situation",
            "household",
            "history",
            "current_support",
            "agencies",
            "difficulty",
            "question",
            "disciplines",
            "urgency",
            "consent",
            "consent_reason",
            "blind_review",
        ]
        widgets = {
            "history": forms.Textarea(attrs={"rows": 6}),
            "current_support": forms.Textarea(attrs={"rows": 4}),
            "agencies": forms.Textarea(attrs={"rows": 3}),
            "difficulty": forms.Textarea(attrs={"rows": 4}),
            "question": forms.Textarea(attrs={"rows": 3}),
            "consent": forms.RadioSelect,
            "urgency": forms.RadioSelect,
        }
        help_texts = {
            "pseudonym": _("A pseudonym or initials only (e.g. A さん). Never the real name."),
            "question": _("What do you want the panel's advice on?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = Case.Consent.choices
        self.fields["consent"].required = False

    def case_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("attachments", "version")}
        data["consent"] = data.get("consent") or ""
        return data


class CommentForm(core_forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )


class RequiredCommentForm(core_forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class MeetingRadioSelect(forms.RadioSelect):
    """A meeting with no free place stays in the list (the coordinator sees it is full) but cannot
    be chosen."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        meeting = getattr(value, "instance", None)
        if meeting is not None and meeting_free_places(meeting) <= 0:
            option["attrs"]["disabled"] = True
        return option


def meeting_free_places(meeting) -> int:
    booked = getattr(meeting, "booked", None)
    if booked is None:
        booked = meeting.cases.count()
    return max(meeting.capacity - booked, 0)


def meeting_label(meeting) -> str:
    """令和8年12月4日（金）14:00 第2回 — 空き2件: the date as |wareki shows it, and the free places."""
    free = meeting_free_places(meeting)
    places = _("%(n)s places free") % {"n": free} if free else _("full")
    when = display(meeting.starts_at, language=get_language() or "ja")
    return f"{when} {meeting}（{places}）"


class _MeetingChoice(core_forms.Form):
    """Shared by the two ways onto a meeting: each upcoming meeting with its date and free places."""

    meeting = forms.ModelChoiceField(
        label=_("Case-review meeting"), queryset=Meeting.objects.none(), widget=MeetingRadioSelect
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = meeting_label


class ReturnForm(RequiredCommentForm):
    """追加情報の依頼: only what more is needed; it is sent to the municipality."""

    comment = forms.CharField(
        label=_("What more information is needed"),
        help_text=_("The municipality reads this and completes the case."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "return_%s")
        super().__init__(*args, **kwargs)


class AcceptForm(_MeetingChoice):
    """会議で検討: accept the case for a case-review meeting, and put it on one now if chosen."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "accept_%s")
        super().__init__(*args, **kwargs)
        self.fields["meeting"].required = False
        self.fields["meeting"].empty_label = _("Decide the meeting later")
        self.fields["meeting"].help_text = _(
            "The municipality is invited to the meeting chosen; its panel can then read the case."
        )


class ScheduleForm(_MeetingChoice):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "schedule_%s")
        super().__init__(*args, **kwargs)


class DeclineForm(RequiredCommentForm):
    """対象外: only the reason, which the municipality is told."""

    comment = forms.CharField(
        label=_("Reason the case is not taken up"),
        help_text=_("The municipality is told this reason."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "decline_%s")
        super().__init__(*args, **kwargs)


def _expert_label(user) -> str:
    discipline = (
        user.expert.get_panel_discipline_display() or user.expert.get_talent_bank_discipline_display()
    )
    return f"{user.get_full_name()}（{discipline}）"


class AdhocForm(core_forms.Form):
    """随時のコンサルテーション: one expert reads the case and answers in writing."""

    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, experts, **kwargs):
        kwargs.setdefault("auto_id", "adhoc_%s")
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].label_from_instance = _expert_label


class NoteForm(core_forms.Form):
    body = forms.CharField(
        label=_("Pre-meeting note (panel and secretariat only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class AdviceForm(core_forms.Form):
    summary = forms.CharField(
        label=_("Summary of the advice"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10000,
    )
    medical = forms.CharField(
        label=_("Medical"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
    )
    psychology = forms.CharField(
        label=_("Psychology"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
    )
    legal = forms.CharField(
        label=_("Legal"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
    )
    welfare = forms.CharField(
        label=_("Welfare"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=6000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    WRITERS = {
        "summary": _("the secretariat (coordinator), from the panel's discussion"),
        "medical": _("the panel's medical expert"),
        "psychology": _("the panel's psychology expert"),
        "legal": _("the panel's legal expert"),
        "welfare": _("the panel's welfare expert"),
    }

    def __init__(self, *args, editable, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary", "medical", "psychology", "legal", "welfare"):
            if name in editable:
                self.fields[name].help_text = _("You write this part.")
            else:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Written by %(who)s; shown for reference.") % {
                    "who": self.WRITERS[name]
                }


class ReportForm(core_forms.Form):
    body = forms.CharField(
        label=_("How things went after the advice"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class GenerateMeetingsForm(core_forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (Western year in which it starts)"), min_value=2019, max_value=2100
    )
    start_time = forms.TimeField(
        label=_("Start time"), initial="14:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https", max_length=500)
    capacity = forms.IntegerField(label=_("Cases per meeting"), initial=3, min_value=1, max_value=10)
    slot_minutes = forms.IntegerField(label=_("Minutes per case"), initial=40, min_value=10, max_value=180)


class MeetingForm(core_forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https", max_length=500)
    capacity = forms.IntegerField(label=_("Cases per meeting"), min_value=1, max_value=10)
    panel = forms.ModelMultipleChoiceField(
        label=_("Panel"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = experts
        self.fields["panel"].label_from_instance = lambda u: (
            f"{u.get_full_name()}（{u.expert.get_panel_discipline_display()}）"
        )


class ConflictForm(core_forms.Form):
    """Declare (an expert) or record (a coordinator) a conflict of interest: with a municipality,
    or with one case named by its reference (only a case the person may read is found)."""

    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)
    organization = forms.ModelChoiceField(label=_("Municipality"), queryset=None, required=False)
    case_reference = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=20,
        help_text=_("Either a municipality or a case reference (for example C2026-0001-AB12)."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_("For example: I advise this municipality in another role."),
    )

    def __init__(self, *args, experts, municipalities, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = cases
        if experts is None:
            del self.fields["expert"]
        else:
            self.fields["expert"].queryset = experts
            self.fields["expert"].label_from_instance = _expert_label
        self.fields["organization"].queryset = municipalities

    def clean(self):
        data = super().clean()
        reference = (data.get("case_reference") or "").strip()
        organization = data.get("organization")
        data["case"] = None
        if bool(reference) == bool(organization):
            if not self.has_error("organization"):
                self.add_error(
                    "organization", _("Choose a municipality or enter a case reference, one of them.")
                )
        elif reference:
            data["case"] = self.cases.filter(reference=reference).first()
            if data["case"] is None:
                self.add_error("case_reference", _("No case with this reference is open to you."))
        return data


class BlindReviewDefaultForm(core_forms.Form):
    blind = forms.BooleanField(
        label=_("New cases start under blind review"),
        required=False,
        help_text=_(
            "The panel experts read the case without the municipality's name or its staff names. "
            "The secretariat always sees them. Each case can still be changed before submission."
        ),
    )
