from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core import waitlist
from portal.core.choice_labels import label
from portal.core.forms import OnlinePlacesMixin, ScheduleForm, SeatForm, SeriesForm

from .models import Course, Registration, Session

AUDIENCE_CHOICES = [(k, v) for k, v in Organization.Kind.choices if k != Organization.Kind.SECRETARIAT]


class CourseForm(core_forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("for"), choices=AUDIENCE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Course
        fields = [
            "fiscal_year",
            "track",
            "number",
            "code",
            "title",
            "description",
            "audience",
            "format",
            "prerequisites",
            "pass_mark",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "prerequisites": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        courses = Course.objects.order_by("-fiscal_year", "track", "number")
        if self.instance.pk:
            courses = courses.filter(fiscal_year=self.instance.fiscal_year).exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = courses
        self.fields["prerequisites"].required = False


# Registering for a session and changing a registration: the forms every seat uses.
SessionRegistrationForm = SeatForm


class SessionForm(OnlinePlacesMixin, ScheduleForm):
    deadline_message = _("The deadline must be before the session.")

    audience = forms.MultipleChoiceField(
        label=_("who may register"), choices=AUDIENCE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Session
        fields = [
            "label",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "capacity",
            "online_capacity",
            "online_unlimited",
            "opens_at",
            "audience",
            "admins_only",
            "notes",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_online()
        if not self.instance.pk and course is not None:
            self.initial.setdefault("audience", course.audience)
            self.initial.setdefault("opens_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        data = self._clean_online(super().clean())
        deadline = data.get("registration_deadline")
        if deadline and data.get("opens_at") and data["opens_at"] >= deadline:
            self.add_error("opens_at", _("Registration must open before the deadline."))
        saved = self.instance if self.instance.pk else None
        for field, message in waitlist.past_date_errors(data, saved=saved).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class SessionEditForm(SessionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ColleaguesForm(core_forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Colleagues to register"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = colleagues


class AttendanceForm(core_forms.Form):
    registrations = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    attendance = forms.ChoiceField(
        label=_("Mark as"),
        choices=[
            (Registration.Attendance.PRESENT, _("Attended")),
            (Registration.Attendance.ABSENT, _("Absent")),
            (Registration.Attendance.UNMARKED, _("Not marked")),
        ],
        required=False,
    )

    def __init__(self, *args, registrations, **kwargs):
        """``registrations``: the queryset a submission is checked against (the page writes its own
        check boxes, one on each confirmed line: the field's choices are never listed)."""
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = registrations

    def lines(self, rows) -> list[dict]:
        """The roster's lines (``selectors.roster_lines``) as the page shows them, each with its
        check box (None for a registration attendance is not marked for): the box's id, as the
        error summary links to the first, and whether it is ticked (kept when the form comes back
        with an error)."""
        bound = self["registrations"]
        ticked = {str(v) for v in (bound.value() or [])}
        lines, index = [], 0
        for r in rows:
            box = None
            if r["status"] == "confirmed":
                box = {"id": f"{bound.auto_id}_{index}", "checked": str(r["pk"]) in ticked}
                index += 1
            name, organization = _who(r)
            lines.append(
                {
                    "pk": str(r["pk"]),
                    "name": name,
                    "organization": organization,
                    "status": label(Registration, "status", r["status"]),
                    "mode": label(Registration, "mode", r["mode"]),
                    "accessibility": r["accessibility"] or "—",
                    "attendance": label(Registration, "attendance", r["attendance"]),
                    "box": box,
                }
            )
        return lines


def _who(line: dict) -> tuple[str, str]:
    """A roster line's person (as User.get_full_name) and organisation (as str(Organization))."""
    organization = Organization.label(
        line["organization__kind"],
        line["organization__legal_form"],
        line["organization__name"],
        line["organization__branch"],
    )
    return line["user__display_name"] or line["user__email"], organization


class QuizForm(core_forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[f"q{q.pk}"] = forms.TypedChoiceField(
                label=q.text,
                choices=list(enumerate(q.choices)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items()}


class ModuleForm(core_forms.Form):
    order = forms.IntegerField(label=_("order"), min_value=1, initial=1)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.IntegerField(label=_("length (minutes)"), min_value=1, initial=20)
    video = forms.FileField(label=_("video file (MP4 or WebM)"), required=False)
    video_url = forms.URLField(label=_("or a link to the video"), required=False, assume_scheme="https")


class QuestionForm(core_forms.Form):
    text = forms.CharField(label=_("question"), max_length=500)
    choices = forms.CharField(label=_("choices (one per line)"), widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.IntegerField(label=_("number of the correct choice"), min_value=1)

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in data.get("choices", "").splitlines() if line.strip()]
        data["choices"] = lines
        if data.get("answer") is not None:
            if not 1 <= data["answer"] <= len(lines):
                self.add_error("answer", _("Give the number of one of the choices."))
            else:
                data["answer"] -= 1
        return data


class SessionSeriesForm(SeriesForm):
    """Several sessions of a course at once; each can be edited on its own afterwards."""

    label = forms.CharField(
        label=_("session name"),
        max_length=90,
        required=False,
        help_text=_("Left empty, the sessions are named 1st, 2nd … in date order."),
    )
    audience = forms.MultipleChoiceField(
        label=_("who may register"), choices=AUDIENCE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    admins_only = forms.BooleanField(label=_("organisation admins only"), required=False)
    notes = forms.CharField(
        label=_("notes for participants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["label", "audience", "admins_only"]

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        if course is not None:
            self.initial.setdefault("audience", course.audience)

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {**self.place_fields(), **{k: data[k] for k in ("audience", "admins_only", "notes")}}
