"""Meeting pages' own tags."""

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from portal.core import dates
from portal.core.urltag import fast_reverse

register = template.Library()


@register.simple_tag
def event_rows(events):
    """The meeting list's lines as plain values, worked out here once per line (a line read field
    by field through the template engine was most of the list's time)."""
    language = get_language() or "ja"
    return [
        {
            "url": fast_reverse("meetings:event_detail", [e.pk])
            or reverse("meetings:event_detail", args=[e.pk]),
            "title": e.title,
            "cancelled": e.cancelled_at is not None,
            "kind": e.get_kind_display(),
            "when": dates.display(e.starts_at, language=language),
            "seats": f"{e.confirmed} / {e.capacity}",
            "online": e.has_online,
        }
        for e in events
    ]
