"""Forms of the residents' pages (plain words) and of the counsellors' inbox and records."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.forms import FlexibleIntegerField, nfkc

from .models import PREFECTURE_CHOICES, AgeBand, Method, Record, Referral, Relation, Topic, Withdrawal

EMPTY = [("", _("Please choose"))]


class EmailForm(core_forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("Used only to tell you that a reply has arrived. It is never shown to anyone."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordPairForm(core_forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        help_text=_("At least 12 characters. Choose one you do not use elsewhere."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords are not the same."))
        elif one:
            try:
                password_validation.validate_password(one)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(core_forms.Form):
    nickname = forms.CharField(
        label=_("Nickname for the consultation"),
        max_length=30,
        help_text=_("A nickname is enough. Please do not write your real name."),
    )
    prefecture = forms.ChoiceField(label=_("Prefecture where you live"), choices=EMPTY + PREFECTURE_CHOICES)
    age_band = forms.ChoiceField(label=_("Age"), choices=EMPTY + AgeBand.choices)
    withdrawal = forms.ChoiceField(
        label=_("How long you have been withdrawn"), choices=EMPTY + Withdrawal.choices
    )


class RegisterForm(ProfileForm, PasswordPairForm):
    field_order = ["nickname", "prefecture", "age_band", "withdrawal", "password1", "password2"]


class SignInForm(core_forms.Form):
    user_number = forms.CharField(
        label=_("User number"),
        max_length=40,
        help_text=_("The 12 characters you received when you registered, for example ACDE-FHJK-MNPQ."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class GuardedForm(core_forms.Form):
    """A resident's text: the personal-data guard warns once; ``acknowledged`` sends it as written."""

    acknowledged = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ThreadForm(GuardedForm):
    subject = forms.CharField(label=_("Subject"), max_length=60)
    relation = forms.ChoiceField(
        label=_("Who is this consultation about?"),
        choices=[
            (Relation.PERSON, _("About myself")),
            (Relation.FAMILY, _("About a family member")),
            (Relation.OTHER, _("Other")),
        ],
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label=_("Your message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 10})
    )
    field_order = ["subject", "relation", "body", "acknowledged"]


class WriteForm(GuardedForm):
    body = forms.CharField(label=_("Your message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8}))


class LeaveForm(core_forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that I can no longer sign in and that my consultations will be deleted."),
    )


# --- counsellors ----------------------------------------------------------------------------------


class VersionForm(core_forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class DraftForm(VersionForm):
    body = forms.CharField(label=_("Reply"), max_length=8000, widget=forms.Textarea(attrs={"rows": 12}))


class AssignForm(core_forms.Form):
    counsellor = forms.ChoiceField(label=_("Counsellor"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in people}
        self.fields["counsellor"].choices = [(str(u.pk), str(u)) for u in people]

    def clean_counsellor(self):
        return self.people[self.cleaned_data["counsellor"]]


class NoteForm(core_forms.Form):
    body = forms.CharField(
        label=_("Internal note (never shown to the person)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TemplateForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), max_length=8000, widget=forms.Textarea(attrs={"rows": 10}))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class RecordForm(core_forms.ModelForm):
    duration_minutes = FlexibleIntegerField(
        label=_("Duration (minutes)"), required=False, min_value=0, max_value=600
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    user_number = forms.CharField(
        label=_("User number (to continue a mail consultation)"), max_length=40, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Record
        fields = [
            "method",
            "date",
            "duration_minutes",
            "relation",
            "age_band",
            "withdrawal",
            "municipality",
            "prefecture",
            "topics",
            "referral",
            "nickname",
            "visit_referral",
            "booking_reference",
            "summary",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "relation": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "nickname": _("The nickname the person uses, to continue the conversation next time."),
            "summary": _("No real names, addresses or phone numbers: the personal-data check will ask."),
            "booking_reference": _("The reference of a peer online or individual consultation booking."),
        }

    def __init__(self, *args, municipalities=None, referrals=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
        self.fields["visit_referral"].queryset = (
            referrals if referrals is not None else Record.visit_referral.field.related_model.objects.none()
        )
        self.fields["visit_referral"].required = False
        self.fields["method"].choices = Method.choices
        self.fields["referral"].choices = Referral.choices
        if self.instance.pk and self.instance.resident_id:
            self.initial.setdefault("user_number", self.instance.resident.user_number)

    def clean_user_number(self):
        return nfkc(self.cleaned_data.get("user_number") or "").strip()

    def clean(self):
        data = super().clean()
        if data.get("method") == Method.HOME_VISIT and not data.get("visit_referral"):
            self.add_error("visit_referral", _("A home-visit consultation is recorded on its referral."))
        return data


class RecordSearchForm(core_forms.Form):
    q = forms.CharField(label=_("Nickname or user number"), required=False, max_length=40)
    method = forms.ChoiceField(
        label=_("Method"), required=False, choices=[("", _("All methods"))] + Method.choices
    )
