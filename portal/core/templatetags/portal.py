from django import template
from django.utils import translation

from portal.core import dates

register = template.Library()


@register.filter
def wareki(value):
    """{{ some_date|wareki }} → 令和7年4月1日 (Japanese UI) or the ISO date (English UI)."""
    if not value:
        return ""
    if translation.get_language() and translation.get_language().startswith("en"):
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value
    return dates.wareki(value)


@register.filter
def fiscal_year(value):
    """{{ 2025|fiscal_year }} → 令和7年度; also accepts a date."""
    if value in (None, ""):
        return ""
    year = value if isinstance(value, int) else dates.fiscal_year_of(value)
    return dates.fiscal_year_label(year, language=translation.get_language() or "ja")
