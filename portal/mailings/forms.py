from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts import selectors as accounts
from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core.widgets import MunicipalityChecklist
from portal.municipalities import selectors as municipalities

from . import services, sources
from .models import Mailing

HELP_PLACEHOLDERS = _("Placeholders filled in for each person: %(list)s")


def _placeholder_help(allowed) -> str:
    return HELP_PLACEHOLDERS % {"list": " ".join(f"{p}（{sources.PLACEHOLDERS[p]}）" for p in allowed)}


class _TextForm(core_forms.Form):
    subject = forms.CharField(label=pgettext_lazy("mailing", "Subject"), max_length=150)
    body = forms.CharField(
        label=pgettext_lazy("mailing", "Message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 12})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    source = ""

    def __init__(self, *args, source: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["body"].help_text = _placeholder_help(services.allowed_placeholders(source))

    def clean_subject(self):
        value = self.cleaned_data["subject"]
        if message := services.placeholder_error(value, self.source):
            raise forms.ValidationError(message)
        return value

    def clean_body(self):
        value = self.cleaned_data["body"]
        if message := services.placeholder_error(value, self.source):
            raise forms.ValidationError(message)
        return value


class SourceMailingForm(_TextForm):
    group = forms.ChoiceField(label=_("Write to"), widget=forms.RadioSelect)
    field_order = ["group", "subject", "body"]

    def __init__(self, *args, source: str, **kwargs):
        super().__init__(*args, source=source, **kwargs)
        self.fields["group"].choices = sources.group_choices(sources.SOURCES[source])


ORG_KINDS = [(k, label) for k, label in Organization.Kind.choices if k != Organization.Kind.SECRETARIAT]


class OrganizationMailingForm(_TextForm):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"), choices=ORG_KINDS, widget=forms.CheckboxSelectMultiple
    )
    municipality_kinds = forms.MultipleChoiceField(
        label=_("Area: kinds of municipality"),
        choices=Organization.MunicipalityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Municipalities of these kinds, and partner organisations located in them."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Area: municipalities"),
        queryset=Organization.objects.none(),
        required=False,
        widget=MunicipalityChecklist,
        help_text=_("These municipalities, and partner organisations located in them. Leave empty for all."),
    )
    programme = forms.ModelChoiceField(
        label=_("Only those taking part in"),
        queryset=None,
        required=False,
        empty_label=_("(any)"),
    )
    admins_only = forms.BooleanField(label=_("Organisation admins only"), required=False)
    field_order = [
        "kinds",
        "municipality_kinds",
        "municipalities",
        "programme",
        "admins_only",
        "subject",
        "body",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, source=Mailing.Source.ORGANIZATIONS, **kwargs)
        self.fields["municipalities"].queryset = accounts.municipalities_for_choice()
        self.fields["programme"].queryset = municipalities.programmes_for_choice()

    def audience(self) -> dict:
        data = self.cleaned_data
        return {
            "kinds": list(data.get("kinds") or []),
            "municipality_kinds": list(data.get("municipality_kinds") or []),
            "municipalities": [o.pk for o in data.get("municipalities") or []],
            "programme": data["programme"].pk if data.get("programme") else None,
            "admins_only": bool(data.get("admins_only")),
        }

    @staticmethod
    def initial_from(audience: dict) -> dict:
        return {
            "kinds": audience.get("kinds", []),
            "municipality_kinds": audience.get("municipality_kinds", []),
            "municipalities": audience.get("municipalities", []),
            "programme": audience.get("programme"),
            "admins_only": audience.get("admins_only", False),
        }


class SendForm(core_forms.Form):
    expected_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)
