"""The personal-data guard's highlighting for outreach forms. (casereviews has the same pair in its
own tags; apps may not share templatetags, so this belongs in portal.core once it is moved.)"""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

KIND_LABELS = {
    "name": "人名",
    "phone": "電話番号",
    "email": "メールアドレス",
    "postal_code": "郵便番号",
    "address": "住所",
    "birthdate": "生年月日",
    "individual_number": "個人番号",
}


@register.filter
def guard_highlight(text, findings):
    """The text with every finding wrapped in <mark> (everything else escaped)."""
    text = str(text or "")
    out, pos = [], 0
    for f in sorted(findings or [], key=lambda f: f.start):
        out.append(escape(text[pos : f.start]))
        label = KIND_LABELS.get(f.kind, f.kind)
        out.append(
            f'<mark title="{escape(label)}">{escape(text[f.start : f.end])}<span class="visually-hidden">'
            f"（{escape(label)}）</span></mark>"
        )
        pos = f.end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece above is escaped)


@register.filter
def guard_kind(kind):
    return KIND_LABELS.get(kind, kind)
