"""Form pieces several apps share."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference, SeatMode


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


class OnlinePlacesMixin(forms.Form):
    """Online places beyond the venue on a schedule form: a number (0 = none) or no limit. The
    cleaned ``online_capacity`` is None for no limit; ``online_unlimited`` is not passed on."""

    online_unlimited = forms.BooleanField(label=_("No limit on online places"), required=False)

    def _init_online(self):
        field = self.fields["online_capacity"]
        field.required = False
        field.min_value = 0
        field.help_text = _("0 = no online participation. Online places come on top of the venue's.")
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and instance.online_capacity is None:
            self.initial.setdefault("online_unlimited", True)

    def _clean_online(self, data):
        if data.pop("online_unlimited", False):
            data["online_capacity"] = None
        elif data.get("online_capacity") is None and "online_capacity" not in self.errors:
            data["online_capacity"] = 0
        return data


def _accessibility_field():
    return forms.CharField(
        label=_("accessibility needs"),
        required=False,
        max_length=500,
        help_text=_("e.g. wheelchair access, captions, a seat near the exit"),
    )


class SeatForm(forms.Form):
    """Registering for a meeting or training session: the attendance mode (only when online places
    exist) and access needs."""

    mode = forms.ChoiceField(
        label=_("attendance"), choices=SeatMode.choices, widget=forms.RadioSelect, initial=SeatMode.VENUE
    )
    accessibility = _accessibility_field()

    def __init__(self, *args, online=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not online:  # no online places: the venue is the only choice
            del self.fields["mode"]


class SeatChangeForm(SeatForm):
    """The registrant's own changes, checked against the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)


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
