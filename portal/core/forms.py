"""Form pieces several apps share."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import series
from .dates import parse_wareki
from .models import NotificationPreference, SeatMode
from .text import without_controls


class TextCleaningMixin:
    """Every form of the portal: control characters are taken out of everything typed before any
    field sees it, so no text field stores one (a feed or an export would break on it). The test
    ``tests/core/test_control_characters.py`` walks every form class and checks it has this."""

    def full_clean(self):
        if self.is_bound:
            self.data = _without_controls_in(self.data)
        super().full_clean()


def _without_controls_in(data):
    if hasattr(data, "lists"):  # a QueryDict: every value of every key
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [without_controls(v) for v in values])
        return cleaned
    return {key: without_controls(value) for key, value in data.items()}


class Form(TextCleaningMixin, forms.Form):
    """The base of every plain form in the portal."""


class ModelForm(TextCleaningMixin, forms.ModelForm):
    """The base of every model form in the portal."""


def nfkc(value):
    """Full-width digits and letters (０１２, ＡＢＣ) become their ordinary forms."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class FlexibleIntegerField(forms.IntegerField):
    """Accepts 1,230 and full-width １２３０. A text input with a numeric keyboard, because a
    number input would refuse the full-width digits a Japanese IME types."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        return super().to_python(nfkc(value).replace(",", "") if isinstance(value, str) else value)


class ScheduleForm(ModelForm):
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


class OnlinePlacesMixin(Form):
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


class SeatForm(Form):
    """Registering for a meeting or training session: the attendance mode (only when online places
    exist) and access needs."""

    mode = forms.ChoiceField(
        label=_("attendance"), choices=SeatMode.choices, widget=forms.RadioSelect, initial=SeatMode.VENUE
    )
    accessibility = _accessibility_field()

    def __init__(self, *args, online=True, initial_mode=SeatMode.VENUE, **kwargs):
        super().__init__(*args, **kwargs)
        if not online:  # no online places: the venue is the only choice
            del self.fields["mode"]
        else:
            self.fields["mode"].initial = initial_mode


class SeatChangeForm(SeatForm):
    """The registrant's own changes, checked against the version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)


def rebase(form, version) -> None:
    """After a save refused as stale: keep everything the person typed, but carry the version now
    saved, so their next save is checked against what they have just been shown."""
    form.data = form.data.copy()
    form.data["version"] = version


class NotificationPreferencesForm(Form):
    email_areas = forms.MultipleChoiceField(
        label=_("Also by email"),
        choices=NotificationPreference.Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick an area to receive its notifications only inside the portal."),
    )


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SeriesForm(Form):
    """A series of dates at the same time, venue and places: a weekday pattern between two dates
    or a list of dates. ``plan`` holds every date with the holidays marked (skipped);
    ``occurrences()`` the start, end and registration deadline of each date that is kept."""

    pattern = forms.ChoiceField(
        label=_("Dates"),
        choices=[
            (series.WEEKLY, _("Every week on a weekday")),
            (series.MONTHLY, _("One weekday of each month (e.g. the 2nd Tuesday)")),
            (series.LISTED, _("A list of dates")),
        ],
        widget=forms.RadioSelect,
        initial=series.WEEKLY,
    )
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAY_CHOICES, coerce=int, required=False)
    nth = forms.TypedChoiceField(
        label=_("Which one of the month"),
        choices=[
            (n, format_lazy(pgettext_lazy("nth weekday of the month", "No. {n}"), n=n)) for n in range(1, 6)
        ],
        coerce=int,
        required=False,
    )
    first_date = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last_date = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    listed_dates = forms.CharField(
        label=_("List of dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One date a line, e.g. 2026/12/9."),
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    deadline_days = forms.IntegerField(
        label=_("Registration closes (days before)"),
        min_value=0,
        max_value=60,
        initial=7,
        help_text=_("At 17:00 that day."),
    )
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https", max_length=500)
    capacity = forms.IntegerField(label=_("venue places"), min_value=0, initial=30)
    online_capacity = forms.IntegerField(
        label=_("online places"),
        min_value=0,
        required=False,
        initial=0,
        help_text=_("0 = no online participation. Online places come on top of the venue's."),
    )
    online_unlimited = forms.BooleanField(label=_("No limit on online places"), required=False)

    DEADLINE_TIME = dt.time(17, 0)

    def _listed(self, text: str) -> list[dt.date]:
        days = []
        for line in (text or "").split():
            japanese = parse_wareki(line)
            if japanese is not None:
                days.append(japanese.date() if isinstance(japanese, dt.datetime) else japanese)
                continue
            try:
                parts = nfkc(line).replace("/", "-").split("-")
                days.append(dt.date.fromisoformat("-".join(part.zfill(2) for part in parts)))
            except ValueError:
                self.add_error("listed_dates", _("%(line)s is not a date (e.g. 2026/12/9).") % {"line": line})
        return days

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == series.LISTED:
            days = self._listed(data.get("listed_dates", ""))
        else:
            for name in ("weekday", "first_date", "last_date") + (
                ("nth",) if pattern == series.MONTHLY else ()
            ):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("This field is required."))
            first, last = data.get("first_date"), data.get("last_date")
            if first and last and last < first:
                self.add_error("last_date", _("Choose a day after the first one."))
            days = series.pattern_days(
                pattern=pattern or "",
                first=first,
                last=last,
                weekday=data.get("weekday"),
                nth=data.get("nth"),
            )
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        self.plan = series.plan(days)
        kept = [d for d in self.plan if not d.skipped]
        if not self.errors:
            if not kept:
                self.add_error(None, _("These settings give no date (holidays are skipped)."))
            elif len(self.plan) > series.MAX_DATES:
                self.add_error(None, _("At most %(n)d dates at once.") % {"n": series.MAX_DATES})
        now = timezone.now()
        if start and kept and data.get("deadline_days") is not None:
            first_deadline = series.at(
                kept[0].day - dt.timedelta(days=data["deadline_days"]), self.DEADLINE_TIME
            )
            if first_deadline <= now:
                self.add_error(
                    None,
                    _("The registration deadline of the first date (%(day)s) would be in the past.")
                    % {"day": kept[0].label},
                )
        if data.get("online_unlimited"):
            data["online_capacity"] = None
        elif data.get("online_capacity") is None:
            data["online_capacity"] = 0
        return data

    def occurrences(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "starts_at": series.at(d.day, data["start_time"]),
                "ends_at": series.at(d.day, data["end_time"]),
                "registration_deadline": series.at(
                    d.day - dt.timedelta(days=data["deadline_days"]), self.DEADLINE_TIME
                ),
            }
            for d in self.plan
            if not d.skipped
        ]

    def place_fields(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("venue", "online_url", "capacity", "online_capacity")}


def carried_fields(post) -> list[tuple[str, str]]:
    """What a confirmation page posts again unchanged: every field the person typed."""
    skip = {"csrfmiddlewaretoken", "confirmed", "back"}
    return [(name, value) for name, values in post.lists() if name not in skip for value in values]
