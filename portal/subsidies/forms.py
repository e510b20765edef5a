from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core import forms as core_forms
from portal.core.dates import fiscal_year_label, fiscal_year_range
from portal.core.forms import nfkc

from .models import Application, Comment, ExpenseLine

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_YEN = 10_000_000_000


class YenField(forms.IntegerField):
    """An amount in yen: accepts 1,200,000, １２０００００ and a trailing 円. A text input with a
    numeric keyboard (a number input would refuse the full-width digits a Japanese IME types)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {"invalid": _("Enter the amount in yen as a whole number, e.g. 1,200,000.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_YEN)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = nfkc(value).replace(",", "").replace("円", "").strip()
        return super().to_python(value)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CallForm(core_forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("fiscal year (western year of April)"), min_value=2019, max_value=2100
    )
    opens_on = forms.DateField(label=_("applications open on"), widget=DATE)
    closes_on = forms.DateField(
        label=_("closing day"), widget=DATE, help_text=_("Applications close at 17:00 on this day.")
    )
    budget = YenField(label=_("budget (yen)"), min_value=1)
    subsidy_rate = forms.IntegerField(label=_("subsidised share (%)"), min_value=1, max_value=100, initial=50)
    max_grant = YenField(label=_("upper limit per municipality (yen)"), required=False)
    report_due = forms.DateField(label=_("performance report due"), widget=DATE)
    required_documents = forms.CharField(
        label=_("required documents"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One document per line."),
    )
    rules = forms.CharField(label=_("rules"), widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def clean(self):
        data = super().clean()
        opens, closes, due = data.get("opens_on"), data.get("closes_on"), data.get("report_due")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing day must be on or after the opening day."))
        if closes and due and due <= closes:
            self.add_error("report_due", _("The report deadline must be after the closing day."))
        if "required_documents" in data:
            data["required_documents"] = _lines(data["required_documents"])
        return data


class CallEditForm(CallForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["fiscal_year"]

    @staticmethod
    def initial_from(call) -> dict:
        from django.utils import timezone

        return {
            "opens_on": call.opens_on,
            "closes_on": timezone.localdate(call.closes_at),
            "budget": call.budget,
            "subsidy_rate": call.subsidy_rate,
            "max_grant": call.max_grant,
            "report_due": call.report_due,
            "required_documents": "\n".join(call.required_documents),
            "rules": call.rules,
            "version": call.version,
        }


class PlanForm(core_forms.Form):
    """The project plan. Nothing is required while drafting; submission checks completeness."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    project_name = forms.CharField(
        label=_("what the municipality starts"),
        max_length=200,
        required=False,
        help_text=_("e.g. ひきこもり地域支援センターの設置、ひきこもりサポート事業"),
    )
    starts_on = forms.DateField(label=_("starting from"), widget=DATE, required=False)
    staffing = forms.CharField(
        label=pgettext_lazy("start-up subsidy", "staff"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Positions, qualifications and numbers of the people who will do the work."),
    )
    partners = forms.CharField(
        label=_("partners"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Organisations you will work with (連携団体, 社会福祉協議会, 家族会 …)."),
    )
    plan = forms.CharField(
        label=_("plan of the project"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, call, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)

    def clean_starts_on(self):
        day = self.cleaned_data.get("starts_on")
        if day:
            first, last = fiscal_year_range(self.call.fiscal_year)
            if not first <= day <= last:
                raise forms.ValidationError(
                    _("Choose a day within %(year)s (April to March).")
                    % {"year": fiscal_year_label(self.call.fiscal_year)}
                )
        return day

    def plan_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ExpenseLineForm(core_forms.Form):
    category = forms.ChoiceField(
        label=_("category"), choices=[("", "―")] + list(ExpenseLine.Category.choices), required=False
    )
    description = forms.CharField(label=_("item"), max_length=200, required=False)
    planned = YenField(label=_("planned amount (yen)"), required=False)

    def clean(self):
        data = super().clean()
        filled = [k for k in ("category", "description", "planned") if data.get(k) not in (None, "")]
        if filled and len(filled) < 3:
            for k in ("category", "description", "planned"):
                if data.get(k) in (None, "") and k not in self.errors:
                    self.add_error(k, _("Fill in the category, the item and the amount of this line."))
        return data


ExpenseFormSet = forms.formset_factory(ExpenseLineForm, extra=0, max_num=40, absolute_max=40)


def expense_formset(data=None, *, application: Application | None = None, blank_rows: int = 3):
    initial = (
        [
            {"category": x.category, "description": x.description, "planned": x.planned}
            for x in application.lines.all()
        ]
        if application is not None
        else []
    )
    initial += [{} for _ in range(blank_rows)]
    if data is not None:
        return ExpenseFormSet(data, prefix="lines")
    return ExpenseFormSet(initial=initial, prefix="lines")


def lines_from(formset) -> list[dict]:
    return [
        {
            "category": f.cleaned_data["category"],
            "description": f.cleaned_data["description"],
            "planned": f.cleaned_data["planned"],
        }
        for f in formset.forms
        if f.cleaned_data.get("category")
        and f.cleaned_data.get("description")
        and f.cleaned_data.get("planned") is not None
    ]


class DocumentForm(core_forms.Form):
    requirement = forms.ChoiceField(label=_("document"))
    file = forms.FileField(label=_("file"), help_text=_("PDF, Word, Excel, PNG or JPEG, up to 10 MB."))

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [(r, r) for r in requirements]


class SubmitForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    declaration = forms.BooleanField(
        label=_(
            "We declare that the municipality newly starts the national "
            "ひきこもり地域支援センター等設置運営事業 "
            "and that this application is true and complete."
        ),
        error_messages={"required": _("Please confirm the declaration.")},
    )


class ReturnForm(core_forms.Form):
    """One comment per section: the municipality sees exactly what to correct."""

    def __init__(self, *args, report=False, **kwargs):
        super().__init__(*args, **kwargs)
        sections = (
            [Comment.Section.REPORT]
            if report
            else [Comment.Section.PLAN, Comment.Section.EXPENSES, Comment.Section.DOCUMENTS]
        )
        for section in sections:
            self.fields[section.value] = forms.CharField(
                label=section.label, widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
            )

    def clean(self):
        data = super().clean()
        if not any((v or "").strip() for v in data.values()):
            raise forms.ValidationError(_("Please write what to correct in at least one section."))
        return data


class DecisionForm(core_forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("grant", _("Grant the subsidy")), ("refuse", _("Do not grant"))],
        widget=forms.RadioSelect,
    )
    amount = YenField(label=_("granted amount (yen)"), required=False, min_value=1)
    conditions = forms.CharField(
        label=_("conditions"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "grant" and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Please enter the granted amount."))
        return data


class ChangeForm(core_forms.Form):
    reason = forms.CharField(
        label=_("what changes and why"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    new_amount = YenField(
        label=_("new granted amount (yen)"),
        required=False,
        help_text=_("Only if the granted amount should change."),
    )


class ChangeDecisionForm(core_forms.Form):
    approve = forms.ChoiceField(
        label=_("decision"),
        choices=[("yes", _("Approve the change")), ("no", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label=_("response"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class ReportForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=_("what was done"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=4000
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"actual_{line.pk}"] = YenField(
                label=_("%(item)s: actual amount (yen)") % {"item": line.description},
                help_text=_("Planned: %(yen)s yen") % {"yen": f"{line.planned:,}"},
                required=False,
            )

    @staticmethod
    def initial_from(application, lines) -> dict:
        initial = {"version": application.version, "summary": application.report_summary}
        initial.update({f"actual_{x.pk}": x.actual for x in lines})
        return initial

    def actuals(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data.get(f"actual_{line.pk}") for line in self.lines}


class FinalizeForm(core_forms.Form):
    final_amount = YenField(label=_("confirmed amount (yen)"))


class ApplicationFilterForm(core_forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("fiscal year"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("All"))] + list(Application.Status.choices), required=False
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _("All"))] + [(y, fiscal_year_label(y)) for y in years]
