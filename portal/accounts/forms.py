from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.widgets import MunicipalityChecklist

from .models import ExpertProfile, Membership, Organization


class InvitationForm(core_forms.Form):
    email = forms.EmailField(label=_("Email address"))
    display_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in roles]


class ExpertInvitationForm(core_forms.Form):
    email = forms.EmailField(label=_("Email address"))
    display_name = forms.CharField(label=_("Name"), max_length=100)
    panel_discipline = forms.ChoiceField(
        label=_("Case-review panel discipline"),
        choices=[("", _("— none —")), *ExpertProfile.PanelDiscipline.choices],
        required=False,
    )
    talent_bank_discipline = forms.ChoiceField(
        label=_("Talent bank discipline"),
        choices=[("", _("— none —")), *ExpertProfile.TalentBankDiscipline.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("panel_discipline") and not data.get("talent_bank_discipline"):
            raise forms.ValidationError(_("Choose at least one discipline for the expert."))
        return data


class AcceptInvitationForm(core_forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=100)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        if p1:
            from .models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, display_name=data.get("display_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PartnerOrganizationForm(core_forms.ModelForm):
    support_types = forms.MultipleChoiceField(
        label=_("Support types"),
        choices=Organization.SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organization
        fields = ["legal_form", "name", "branch", "kana", "support_types", "locations"]
        widgets = {"locations": MunicipalityChecklist}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY)


class RoleForm(core_forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MfaPolicyForm(core_forms.Form):
    require_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for all members"), required=False
    )
