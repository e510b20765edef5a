from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.forms import nfkc

from .models import ConsultationWindow

PHONE_RE = re.compile(r"^0\d{1,4}-?\d{1,4}-?\d{3,4}$")


def normalise_phone(value: str) -> str:
    value = nfkc(value or "").strip().replace("ー", "-").replace("−", "-").replace("‐", "-").replace(" ", "")
    value = value.replace("(", "-").replace(")", "-").replace("--", "-").strip("-")
    return value


class WindowForm(core_forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    web_url = forms.URLField(label=_("web page"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = ConsultationWindow
        fields = [
            "name",
            "department",
            "phone",
            "hours",
            "email",
            "web_url",
            "accepts_home_visit",
            "notes",
            "order",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"phone": _("e.g. 042-620-7242 (full-width digits are fine)")}

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        digits = re.sub(r"\D", "", phone)
        if not PHONE_RE.match(phone) or len(digits) not in (10, 11):
            raise forms.ValidationError(
                _("Enter a Japanese phone number with area code, e.g. 03-1234-5678 or 0120-529-528.")
            )
        return phone
