"""Form pieces several apps share."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


def nfkc(value):
    """Full-width digits and letters (０１２, ＡＢＣ) become their ordinary forms."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class FlexibleIntegerField(forms.IntegerField):
    """Accepts 1,230 and full-width １２３０. A text input with a numeric keyboard, because a
    number input would refuse the full-width digits a Japanese IME types."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        return super().to_python(nfkc(value).replace(",", "") if isinstance(value, str) else value)


class ScheduleForm(forms.ModelForm):
    """A dated item people register for (a meeting, a training session): an optional online link
    and a registration deadline given as a day and a time (17:00 unless changed), which must fall
    before the start; the end must follow the start. ``cleaned_data`` then holds
    ``registration_deadline`` instead of the two parts."""

    deadline_message = _("The deadline must be before the start.")

    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https", max_length=500)
    deadline_date = forms.DateField(
        label=_("registration deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_time = forms.TimeField(
        label=_("deadline time"), initial="17:00", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.registration_deadline:
            local = timezone.localtime(self.instance.registration_deadline)
            self.initial.setdefault("deadline_date", local.date())
            self.initial.setdefault("deadline_time", local.time())

    def clean(self):
        data = super().clean()
        day, time = data.pop("deadline_date", None), data.pop("deadline_time", None)
        if day and time:
            data["registration_deadline"] = timezone.make_aware(dt.datetime.combine(day, time))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        deadline = data.get("registration_deadline")
        if deadline and data.get("starts_at") and deadline > data["starts_at"]:
            self.add_error("deadline_date", self.deadline_message)
        return data

    def schedule_fields(self) -> dict:
        """What the service is given: every cleaned field but the edit version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def rebase(form, version) -> None:
    """After a save refused as stale: keep everything the person typed, but carry the version now
    saved, so their next save is checked against what they have just been shown."""
    form.data = form.data.copy()
    form.data["version"] = version


class NotificationPreferencesForm(forms.Form):
    email_areas = forms.MultipleChoiceField(
        label=_("Also by email"),
        choices=NotificationPreference.Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick an area to receive its notifications only inside the portal."),
    )
