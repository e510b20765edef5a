"""Meeting pages' own tags."""

from django import template
from django.utils.translation import get_language

from portal.core import dates
from portal.core.urltag import address

register = template.Library()


@register.simple_tag
def event_rows(events):
    """The meeting list's lines as plain values, worked out here once per line (a line read field
    by field through the template engine was most of the list's time)."""
    language = get_language() or "ja"
    return [
        {
            "url": address("meetings:event_detail", e.pk),
            "title": e.title,
            "cancelled": e.cancelled_at is not None,
            "kind": e.get_kind_display(),
            "when": dates.display(e.starts_at, language=language),
            "seats": f"{e.confirmed} / {e.capacity}",
            "online": e.has_online,
        }
        for e in events
    ]


@register.simple_tag
def attendance_rows(registrations):
    """The attendance list's lines as plain values, with each line's check-in address."""
    language = get_language() or "ja"
    return [
        {
            "organization": str(r.organization),
            "name": r.user.get_full_name(),
            "mode": r.get_mode_display(),
            "accessibility": r.accessibility,
            "checked_in": dates.display(r.checked_in_at, "time", language=language)
            if r.checked_in_at
            else "",
            "check_in_url": address("meetings:check_in", r.pk),
        }
        for r in registrations
    ]
