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


@register.simple_tag(takes_context=True)
def case_rows(context, cases):
    """The case list's lines as plain values, worked out here once per line: a line read field by
    field through the template engine (a link, two labels, the submitter rule, two dates) cost
    about a tenth of a millisecond, half of the list's page."""
    from django.utils.translation import get_language

    from portal.casereviews.permissions import submitter_label
    from portal.core import dates
    from portal.core.urltag import address

    request = context.get("request")
    user = getattr(request, "user", None)
    language = get_language() or "ja"
    rows = []
    for case in cases:
        meeting = case.meeting.starts_at if case.meeting_id else None
        rows.append(
            {
                "url": address("casereviews:case_detail", case.pk),
                "reference": case.reference,
                "submitter": submitter_label(user, case),
                "status": case.get_status_display(),
                "urgency": case.get_urgency_display(),
                "disciplines": "・".join(case.discipline_labels()),
                "meeting": dates.display(meeting, language=language) if meeting else "",
                "updated": dates.display(case.updated_at, language=language),
            }
        )
    return rows


@register.filter
def hide_name(text, name):
    """Text written about a case with the submitting organisation's name replaced by the neutral
    label, for an expert reading a case under blind review (``name``, the organisation or its name,
    is empty for everyone who may see it: the text is then unchanged). Every usual form of the name
    is hidden (see ``casereviews.blind``)."""
    from portal.casereviews import blind
    from portal.casereviews.permissions import BLIND_LABEL

    if not name or not text:
        return text
    return blind.hide(text, str(getattr(name, "name", name)), BLIND_LABEL, kana=getattr(name, "kana", ""))
