"""Markdown → sanitised HTML for the guidebook. Two layers: markdown-it with raw HTML off (and
its own link validation), then nh3 with a short allow-list. Images may only be the edition's own
figures, written ``![text alternative](figure:12)``; links only http(s), mail and in-page."""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "a", "img",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}, "td": set()}
FIGURE_SRC = re.compile(r"^figure:(\d+)$")
_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
_HEADING = re.compile(r"<(/?)h([1-6])>")
_HEADER_CELL = re.compile(r"<th(\s[^>]*)?>")
_FIGURE_IMG = re.compile(r'<img src="figure:(\d+)"([^>]*)>')


def _filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if FIGURE_SRC.match(value) else None
    if tag == "a" and attribute == "href":
        return value if _LINK.match(value) else None
    if tag == "th" and attribute == "scope":
        return value if value in ("col", "row") else None
    return value


def _shift_headings(match: re.Match) -> str:
    # A section's title is the h2 of its chapter (h1); headings inside the text start at h3.
    return f"<{match[1]}h{min(int(match[2]) + 2, 6)}>"


def render(markdown: str) -> str:
    html = _HEADING.sub(_shift_headings, _md.render(markdown or ""))
    # A Markdown table's header cells are its first row: column headers (PDF/UA: TH with a Scope).
    html = _HEADER_CELL.sub(r'<th scope="col"\1>', html)
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter,
        url_schemes={"http", "https", "mailto", "figure"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def resolve_figures(html: str, url_for: Callable[[int], str | None]) -> str:
    """Point ``figure:N`` images at real URLs (the web reader's view, or a file for the PDF);
    a figure that does not belong to the edition is dropped."""

    def swap(match: re.Match) -> str:
        url = url_for(int(match[1]))
        return f'<img src="{url}"{match[2]}>' if url else ""

    return _FIGURE_IMG.sub(swap, html)
