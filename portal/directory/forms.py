from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.core import forms as core_forms
from portal.core.widgets import MunicipalityChecklist

from .models import SupportInstitution


class EntryForm(core_forms.Form):
    description = forms.CharField(
        label=_("short description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000
    )
    support_types = forms.MultipleChoiceField(
        label=_("support types"),
        choices=Organization.SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("areas"),
        queryset=Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by(
            "code"
        ),
        widget=MunicipalityChecklist,
        help_text=_("The municipalities where you work: tick every one that applies."),
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("phone number"), max_length=20, required=False,
        help_text=_("The number families call: it is shown in the public list."),
    )  # fmt: skip
    website = forms.URLField(label=_("website"), max_length=500, required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(core_forms.Form):
    comment = forms.CharField(
        label=_("comment to the organisation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class InstitutionForm(core_forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    url = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = SupportInstitution
        fields = ["category", "name", "description", "audience", "location", "url", "order", "is_active"]
        labels = {"order": _("order")}  # the model field has no verbose name
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
