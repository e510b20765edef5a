"""The text of uploaded PDF and Word (.docx) files, page by page, for the personal-data guard.

PDF text comes from pypdf (pure Python, pinned); a .docx is a zip of XML, read directly: its pages
are cut at the page breaks Word writes (an explicit break, or the break Word last rendered), so a
finding can be shown as 「ファイル名」2ページ. Images and scanned pages carry no text: they come
back as unreadable, and the screen says the file could not be checked.
Limits keep a hostile file from costing much: pages read, characters kept, XML size expanded.
"""

from __future__ import annotations

import contextlib
import logging
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext_lazy as _

from portal.core import pii

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READABLE = (PDF, DOCX)
MAX_PAGES = 300
MAX_CHARS = 500_000
MAX_XML_BYTES = 30 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class FileText:
    """A file's text: ``pages`` is [(page number from 1, text)]; ``readable`` is False when the
    file's type has no text to read or reading failed (the person then checks the file)."""

    name: str
    pages: list[tuple[int, str]] = field(default_factory=list)
    readable: bool = True


@dataclass(frozen=True)
class FileFinding:
    """A finding of the guard in one page of one file. ``kind``/``text``/``start``/``end`` are the
    finding's, so code that shows findings of text fields shows these too."""

    file_name: str
    page: int
    finding: pii.Finding

    @property
    def kind(self) -> str:
        return self.finding.kind

    @property
    def text(self) -> str:
        return self.finding.text

    @property
    def start(self) -> int:
        return self.finding.start

    @property
    def end(self) -> int:
        return self.finding.end

    @property
    def where(self) -> str:
        """「相談記録.pdf」2ページ — where to look, in the words of the screen."""
        return str(_("“%(name)s” page %(page)s") % {"name": self.file_name, "page": self.page})


def _pdf_pages(fileobj) -> list[tuple[int, str]]:
    from pypdf import PdfReader

    reader = PdfReader(fileobj)
    if reader.is_encrypted:
        reader.decrypt("")  # a file locked against editing only still opens; a password raises
    pages, total = [], 0
    for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
        text = page.extract_text() or ""
        total += len(text)
        pages.append((number, text))
        if total > MAX_CHARS:
            break
    return pages


def _docx_pages(fileobj) -> list[tuple[int, str]]:
    with zipfile.ZipFile(fileobj) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > MAX_XML_BYTES:
            raise ValueError("document.xml too large")
        root = ElementTree.fromstring(archive.read(info))  # noqa: S314 (stdlib parser expands no external entities)
    pages: list[tuple[int, str]] = []
    current: list[str] = []

    def new_page():
        pages.append((len(pages) + 1, "".join(current).strip("\n")))
        current.clear()

    body = root.find(f"{_W}body")
    for paragraph in body.iter(f"{_W}p") if body is not None else ():
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                current.append(node.text)
            elif node.tag == f"{_W}tab":
                current.append("\t")
            elif node.tag == f"{_W}br" and node.get(f"{_W}type") == "page":
                new_page()
            elif node.tag == f"{_W}br":
                current.append("\n")
            elif node.tag == f"{_W}lastRenderedPageBreak" and current:
                new_page()
        current.append("\n")
    new_page()
    return [(n, text) for n, text in pages]


def extract(fileobj, *, name: str, content_type: str) -> FileText:
    """The text of a stored or uploaded file, page by page."""
    if content_type not in READABLE:
        return FileText(name=name, readable=False)
    try:
        fileobj.seek(0)
        pages = _pdf_pages(fileobj) if content_type == PDF else _docx_pages(fileobj)
    except Exception:  # noqa: BLE001 (a damaged or locked file: said on screen, never a server error)
        logger.info("no text could be read from an attachment (%s)", content_type, exc_info=True)
        return FileText(name=name, readable=False)
    finally:
        with contextlib.suppress(OSError, ValueError):
            fileobj.seek(0)
    readable = any(re.search(r"\S", text) for _n, text in pages)
    return FileText(name=name, pages=pages, readable=readable)


def scan(file_text: FileText) -> list[FileFinding]:
    """The guard's findings in every page of the file."""
    return [
        FileFinding(file_text.name, number, finding)
        for number, text in file_text.pages
        for finding in pii.scan(text)
    ]


def scan_upload(upload, *, content_type: str) -> list[FileFinding]:
    """Findings in a file being uploaded (before it is stored)."""
    return scan(extract(upload, name=getattr(upload, "name", "") or "", content_type=content_type))


def field_name(attachment_pk: int, page: int) -> str:
    """The name a finding in an attachment page goes by where findings are keyed by field
    (confirmations, the findings of a case): ``attachment-12-p3``."""
    return f"attachment-{attachment_pk}-p{page}"


@dataclass(frozen=True)
class Passage:
    """One attachment page shown like a text field on the findings screen: a label and a value."""

    label: str
    value: str
