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
