import datetime as dt

from django import template
from django.utils.translation import gettext as _

from portal.core.dates import wareki

register = template.Library()


@register.filter
def answer_text(value, kind):
    """A stored answer as text: lists joined, yes/no in words, dates in 和暦."""
    if value in (None, "", []):
        return ""
    if kind == "yes_no":
        return _("Yes") if value == "yes" else _("No")
    if kind == "date":
        try:
            return wareki(dt.date.fromisoformat(value), weekday=True)
        except (TypeError, ValueError):
            return value
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def files_for(file_ids, files):
    return [files[i] for i in (file_ids or []) if i in files]
