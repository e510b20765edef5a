from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.core import pii

register = template.Library()


@register.filter
def highlight(text, findings):
    """The text with every finding wrapped in <mark> (everything else escaped)."""
    text = text or ""
    out, pos = [], 0
    for f in sorted(findings or [], key=lambda f: f.start):
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
    return pii.kind_label(kind)


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
