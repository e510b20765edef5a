import datetime as dt
import re

from django import template
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal.core import dates, labels, pii

register = template.Library()


ISO_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _parse(value):
    """Dates kept as ISO text (JSON fields, form data) or as 和暦 text without the weekday (made
    by ``dates.wareki`` in Python) are shown like real dates."""
    if not ISO_TEXT.fullmatch(value.strip()):
        return dates.parse_wareki(value)
    value = value.strip()
    for parse in (dt.datetime.fromisoformat, dt.date.fromisoformat):
        try:
            parsed = parse(value)
        except ValueError:
            continue
        if isinstance(parsed, dt.datetime) and len(value) <= 10:
            return parsed.date()
        return parsed
    return None


@register.filter
def wareki(value, part=""):
    """The one filter for dates and times on screens, in Tokyo time.

    {{ a_date|wareki }} → 令和8年12月4日（金）; {{ a_datetime|wareki }} → 令和8年12月4日（金）14:15;
    {{ a_datetime|wareki:"date" }} → the date only; {{ a_datetime|wareki:"time" }} → 14:15.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        parsed = _parse(value)
        if parsed is None:
            return value
        value = parsed
    if not isinstance(value, dt.date | dt.time):
        return value
    return dates.display(value, part, language=translation.get_language() or "ja")


@register.filter
def iso(value):
    """The machine-readable form for ``<time datetime="…">``: 2026-12-04T14:15:00+09:00 (Tokyo time,
    whole seconds: HTML's valid date strings have no microseconds) or 2026-12-04 for a date."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@register.filter
def fiscal_year(value):
    """{{ 2025|fiscal_year }} → 令和7年度; also accepts a date."""
    if value in (None, ""):
        return ""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    year = value if isinstance(value, int) else dates.fiscal_year_of(value)
    return dates.fiscal_year_label(year, language=translation.get_language() or "ja")


@register.simple_tag
def field_widget(field):
    """A form field's widget tied to its help text and its errors (aria-describedby, aria-invalid)."""
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    attrs = {}
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def choice_label(value, field_path):
    """A stored choice value shown by its label: {{ t.to_status|choice_label:"casereviews.Case.status" }}."""
    from django.apps import apps

    app_label, model_name, field_name = field_path.split(".")
    field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    return dict(field.flatchoices).get(value, value)


@register.filter
def action_label(code):
    """An audit action code shown by its Japanese label: {{ e.action|action_label }} → ケースを閲覧."""
    return labels.action_label(code)


# --- the personal-data guard (cases, touring consultation referrals, news, talent bank) -----------


@register.filter
def highlight(text, findings):
    """The text with every finding of the personal-data scanner wrapped in <mark>, its kind named
    for screen readers (everything else escaped)."""
    text = str(text or "")
    out, pos = [], 0
    for f in sorted(findings or [], key=lambda f: f.start):
        if f.end <= f.start:
            continue  # a whole file that could not be read: nothing in the text to mark
        out.append(escape(text[pos : f.start]))
        label = str(pii.kind_label(f.kind))
        out.append(
            f'<mark title="{escape(label)}">{escape(text[f.start : f.end])}<span class="visually-hidden">'
            f"（{escape(label)}）</span></mark>"
        )
        pos = f.end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece above is escaped)


@register.filter
def kind_label(kind):
    """What a kind of personal data is called on screen (人名, 電話番号 …); never the code."""
    return pii.kind_label(kind)


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """``?…`` for page ``number`` of a list, keeping every filter the person set (repeated keys too)."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()


def _has_errors(value) -> bool:
    from django.forms import BaseForm, BaseFormSet

    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and value.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def error_title(context) -> str:
    """「エラー：」 before the page title when a form on the page came back with errors (or the
    page is an error page), so a screen reader hears at once that something needs fixing."""
    flat = context.flatten()
    if flat.get("error_page") or any(_has_errors(value) for value in flat.values()):
        return translation.gettext("Error: ")
    return ""


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons and check boxes of one field (also a subclass such as a meeting picker): one
    group in a fieldset with a legend, each choice labelled by its own label."""
    from django.forms import CheckboxSelectMultiple, RadioSelect

    return isinstance(getattr(bound_field.field, "widget", None), RadioSelect | CheckboxSelectMultiple)


@register.filter
def hidden_values(bound_field) -> list[str]:
    """A field's value(s) to carry in hidden inputs (a confirmation screen): plain name and value,
    never the visible widget's aria-* attributes, which a hidden input must not have."""
    value = bound_field.value()
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
