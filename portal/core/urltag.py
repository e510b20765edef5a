"""``{% url %}`` for every template, with a short way for addresses of numbered objects.

A list of fifty rows reverses fifty addresses: Django's resolver works each one out from the URL
patterns (about twenty microseconds), the largest share of a row after the row's data. The
address of ``case_detail`` for case 17 is the address for any case with 17 put in the number's
place: this tag reverses each view name once with stand-in numbers, keeps the text around them,
and fills in the numbers after that. The kept text is checked against Django's own reverse for two
sample numbers before it is used; anything else (keyword or text arguments, a view name that does
not reverse with numbers, a namespaced application instance) goes through Django's tag unchanged.

Installed as a template builtin (settings.TEMPLATES), so it is the ``url`` tag of every template.
"""

from __future__ import annotations

import functools

from django.template import Library
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = Library()

_STAND_IN = 9_182_736_450  # a number no address of the portal holds


@functools.lru_cache(maxsize=4096)
def _pieces(view_name: str, count: int, prefix: str, urlconf) -> tuple[str, ...] | None:
    """The address of ``view_name`` cut where its ``count`` numbers go, or None."""
    stand_ins = [_STAND_IN + i for i in range(count)]
    try:
        text = reverse(view_name, args=stand_ins, urlconf=urlconf)
    except NoReverseMatch:
        return None
    pieces = []
    for number in stand_ins:
        before, found, text = text.partition(str(number))
        if not found:
            return None
        pieces.append(before)
    pieces.append(text)
    result = tuple(pieces)
    for sample in ((1,) * count, tuple(range(23, 23 + count))):
        try:
            expected = reverse(view_name, args=sample, urlconf=urlconf)
        except NoReverseMatch:
            return None
        if _join(result, sample) != expected:
            return None
    return result


def _join(pieces: tuple[str, ...], numbers) -> str:
    out = [pieces[0]]
    for number, piece in zip(numbers, pieces[1:], strict=True):
        out.append(str(number))
        out.append(piece)
    return "".join(out)


def fast_reverse(view_name, args) -> str | None:
    """The address, or None when the short way does not apply (the caller reverses as usual)."""
    if not isinstance(view_name, str) or view_name.startswith("admin:"):
        return None
    if not all(type(a) is int and a >= 0 for a in args):
        return None
    pieces = _pieces(view_name, len(args), get_script_prefix(), get_urlconf())
    return None if pieces is None else _join(pieces, args)


def address(view_name: str, *args) -> str:
    """reverse(view_name, args=args), the short way when it applies (for lines worked out in Python)."""
    return fast_reverse(view_name, args) or reverse(view_name, args=args)


class FastURLNode(URLNode):
    def render(self, context):
        request = getattr(context, "request", None)
        if self.args and not self.kwargs and getattr(request, "current_app", None) is None:
            address = fast_reverse(
                self.view_name.resolve(context), [arg.resolve(context) for arg in self.args]
            )
            if address is not None:
                if self.asvar:
                    context[self.asvar] = address
                    return ""
                return conditional_escape(address) if context.autoescape else address
        return super().render(context)


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
