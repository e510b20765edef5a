"""The one PDF renderer: a Django template rendered to PDF by WeasyPrint, Japanese fonts embedded.

Templates extend ``pdf/base.html``, whose stylesheet asks for IPAex fonts (Debian's
fonts-ipaexfont) and falls back to any Japanese font fontconfig knows.

The renderer fetches only the portal's own files: the PDF stylesheet and static assets, the media
folders a caller names (``media=("guidebook-figures/",)``) and inline ``data:`` images. Outside
URLs, other local paths (``file:///etc/passwd``) and everything else render nothing.

Every PDF is tagged for accessibility as PDF/UA-1: the structure tree follows the HTML (headings,
tables with their header cells, figures with their alt text), the catalogue carries the document's
language (``<html lang="ja">``) and the title (``<title>``) is shown instead of the file name.
Templates therefore give every ``<img>`` an ``alt``, mark header cells ``<th scope="col|row">`` and
fill the ``title`` block.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

#: The options every PDF is written with (WeasyPrint sets PDF 1.7 and tagging for this variant).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class Blocked(ValueError):
    """A resource outside the portal's own files was asked for."""


def _roots(media: tuple[str, ...]) -> list[Path]:
    roots = [Path(settings.BASE_DIR, "static").resolve()]
    roots += [Path(settings.MEDIA_ROOT, sub).resolve() for sub in media]
    return roots


def allowed(url: str, media: tuple[str, ...] = ()) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(os.path.realpath(unquote(parts.path)))
    return any(path == root or root in path.parents for root in _roots(media))


def fetcher(media: tuple[str, ...] = ()):
    from weasyprint.urls import URLFetcher

    class PortalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed(url, media):
                raise Blocked(f"not fetched: {url[:80]}")
            return super().fetch(url, headers)

    return PortalFetcher(allowed_protocols=("file", "data"), timeout=5)


class Session:
    """Shared fonts and parsed stylesheets/images for many PDFs in a row (a certificate batch):
    each PDF after the first skips font loading and CSS parsing."""

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.cache: dict = {}


def _number(value: Any) -> int:
    return int(value)


def _structure_mcids(root) -> set[tuple[Any, int]]:
    """(page object number, MCID) of every marked content the structure tree reaches."""
    from pypdf.generic import ArrayObject, DictionaryObject, NumberObject

    reached: set[tuple[Any, int]] = set()
    seen: set[Any] = set()
    stack = [(root.get("/K"), None)]
    while stack:
        node, page = stack.pop()
        if node is None:
            continue
        reference = getattr(node, "indirect_reference", None)
        obj = node.get_object()
        if isinstance(obj, NumberObject) and page is not None:
            reached.add((page, int(obj)))
        elif isinstance(obj, ArrayObject):
            stack.extend((child, page) for child in obj)
        elif isinstance(obj, DictionaryObject):
            if reference is not None:
                if reference.idnum in seen:
                    continue
                seen.add(reference.idnum)
            pg = obj.get("/Pg")
            here = pg.indirect_reference.idnum if pg is not None else page
            if obj.get("/Type") == "/MCR":
                reached.add((here, _number(obj["/MCID"])))
            else:
                stack.append((obj.get("/K"), here))
    return reached


def _header_scopes(root) -> bool:
    """Give every table header cell (TH) of the structure tree its /Scope (PDF/UA-1 §7.5), which
    WeasyPrint leaves out: Column in a table head or a row of header cells only, Row when the row
    also holds data cells (``<th scope="row">``). Returns whether any was added."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    added = False
    seen: set[Any] = set()
    stack = [root]
    while stack:
        node = stack.pop().get_object()
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else None
        children = [
            k.get_object() for k in (kids if isinstance(kids, ArrayObject) else [kids]) if k is not None
        ]
        elements = [c for c in children if isinstance(c, DictionaryObject) and "/S" in c]
        for child in elements:
            number: Any = getattr(child.indirect_reference, "idnum", None)
            if number in seen:
                continue
            seen.add(number)
            stack.append(child)
        if node.get("/S") != "/TR":
            continue
        section = node.get("/P").get_object().get("/S") if node.get("/P") is not None else None
        has_data = any(c.get("/S") == "/TD" for c in elements)
        scope = "/Row" if has_data and section != "/THead" else "/Column"
        for cell in elements:
            if cell.get("/S") != "/TH":
                continue
            attributes = cell.get("/A")
            attributes = attributes.get_object() if attributes is not None else None
            if isinstance(attributes, DictionaryObject) and "/Scope" in attributes:
                continue
            table = DictionaryObject(
                {NameObject("/O"): NameObject("/Table"), NameObject("/Scope"): NameObject(scope)}
            )
            if isinstance(attributes, ArrayObject):
                attributes.append(table)
            else:
                cell[NameObject("/A")] = table
            added = True
    return added


def margin_artifacts(data: bytes) -> bytes:
    """Running heads, page numbers and marks such as 取扱注意 (the page's margin boxes) as artifacts,
    and table header cells with their scope.

    WeasyPrint marks the text of margin boxes as content with an MCID that no element of the
    structure tree reaches; PDF/UA-1 (§7.8) wants page furniture as ``/Artifact``. Every marked
    content sequence whose MCID the structure tree does not reach becomes an artifact, and its
    entry in the parent tree is removed."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject, NullObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    tree = writer.root_object.get("/StructTreeRoot")
    if tree is None:
        return data
    tree = tree.get_object()
    reached = _structure_mcids(tree)
    changed = _header_scopes(tree)
    parent_tree = tree.get("/ParentTree")
    nums = parent_tree.get_object().get("/Nums", ArrayObject()) if parent_tree is not None else ArrayObject()
    by_page = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums) - 1, 2)}
    for index, page in enumerate(writer.pages):
        number = getattr(page.indirect_reference, "idnum", None)
        content = ContentStream(page.get_contents(), writer)
        dropped = []
        for position, (operands, operator) in enumerate(content.operations):
            if operator != b"BDC" or len(operands) < 2:
                continue
            properties = operands[1].get_object()
            if not isinstance(properties, DictionaryObject) or "/MCID" not in properties:
                continue
            mcid = _number(properties["/MCID"])
            if (number, mcid) not in reached:
                content.operations[position] = ([NameObject("/Artifact")], b"BMC")
                dropped.append(mcid)
        if dropped:
            page.replace_contents(content)
            entries = by_page.get(index)
            if isinstance(entries, ArrayObject):
                for mcid in dropped:
                    if mcid < len(entries):
                        entries[mcid] = NullObject()
            changed = True
    if not changed:
        return data
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_title(data: bytes, title: str) -> bytes:
    """A PDF that has no title of its own gets ``title`` (shown by readers instead of the file
    name); one with a title, or a file pypdf cannot read, is left as it is."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.metadata is not None and (reader.metadata.title or "").strip():
            return data
        writer = PdfWriter(clone_from=reader)
    except (PyPdfError, ValueError, KeyError):
        return data
    writer.add_metadata({"/Title": title})
    preferences = writer.root_object.get("/ViewerPreferences")
    preferences = preferences.get_object() if preferences is not None else DictionaryObject()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    writer.root_object[NameObject("/ViewerPreferences")] = preferences
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _tagged(document):
    """Make the document's ``write_pdf()`` write a tagged PDF/UA-1 file unless told otherwise, so a
    caller that lays out pages itself (the guidebook build) cannot produce an untagged PDF; the
    margin boxes (running heads, page numbers, 取扱注意) are written as artifacts."""
    write_pdf = document.write_pdf

    def write_tagged_pdf(target=None, zoom=1, finisher=None, **options):
        data = margin_artifacts(write_pdf(None, zoom, finisher, **{**PDF_OPTIONS, **options}))
        if target is None:
            return data
        if hasattr(target, "write"):
            target.write(data)
        else:
            Path(target).write_bytes(data)
        return None

    document.write_pdf = write_tagged_pdf
    return document


def render_html(html: str, *, media: tuple[str, ...] = (), session: Session | None = None):
    """A laid-out WeasyPrint document (for callers that need its pages, e.g. the guidebook).

    Its ``write_pdf()`` writes a tagged PDF/UA-1 file."""
    from weasyprint import HTML  # imported lazily: it loads pango at import time

    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher(media))
    if session is None:
        return _tagged(document.render(**PDF_OPTIONS))
    return _tagged(document.render(font_config=session.font_config, cache=session.cache, **PDF_OPTIONS))


def render_pdf(
    template_name: str,
    context: dict,
    *,
    language: str | None = None,
    media: tuple[str, ...] = (),
    session: Session | None = None,
) -> bytes:
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return render_html(html, media=media, session=session).write_pdf()


def demo_document(filename: str, title: str, lines: list[str]):
    """A small real PDF for demo data (Japanese text, IPAex fonts, tagged, with its title), made
    by this one renderer: demo files pass the same upload validation a person's file does."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="static/pdf/pdf.css"></head>'
        f"<body><h1>{escape(title)}</h1>{body}<p>東京都ひきこもりサポートネット</p></body></html>"
    )
    return SimpleUploadedFile(filename, render_html(html).write_pdf(), content_type="application/pdf")
