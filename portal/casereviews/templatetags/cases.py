"""Case pages' own filters; the personal-data highlight and kind labels are in core's ``portal`` tags."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def case_field_label(name):
    """The on-screen label of a case field (生活歴・経過), never its code."""
    from portal.casereviews.models import Case

    try:
        return Case._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return _("Other")


@register.simple_tag(takes_context=True)
def submitter(context, case):
    """The submitting organisation's name, or the neutral label for an expert reading a case under
    blind review."""
    from portal.casereviews.permissions import submitter_label

    request = context.get("request")
    return submitter_label(getattr(request, "user", None), case)


@register.filter
def hide_name(text, name):
    """Text written about a case with the submitting organisation's name replaced by the neutral
    label, for an expert reading a case under blind review (``name`` is empty for everyone who
    may see it: the text is then unchanged)."""
    from portal.casereviews.permissions import BLIND_LABEL

    if not name or not text:
        return text
    return str(text).replace(str(name), str(BLIND_LABEL))
