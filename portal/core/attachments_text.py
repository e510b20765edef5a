"""The text of uploaded PDF and Word (.docx) files, page by page, for the personal-data guard.

PDF text comes from pypdf (pure Python, pinned); a .docx is a zip of XML, read directly: its pages
are cut at the page breaks Word writes (an explicit break, or the break Word last rendered), so a
finding can be shown as 「ファイル名」2ページ; its headers, footers, footnotes, endnotes, comments and
deleted text (tracked changes) are read too, and a Word file that still holds tracked changes or
comments is refused (``check_upload``). Images and scanned pages carry no text: they come back as
unreadable, and the screen says the file could not be checked and asks the writer to confirm.
Limits keep a hostile file from costing much: pages read, characters kept, XML size expanded.
"""

from __future__ import annotations

import contextlib
import logging
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
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
    """A file's text: ``pages`` is [(page number from 1, text)]; ``parts`` is what a Word file holds
    outside its body ([(「ヘッダー」, text)]: headers, footers, footnotes, endnotes, comments);
    ``readable`` is False when the file's type has no text to read or reading failed (an image, a
    scanned PDF without a text layer, a damaged file): the person then checks the file and confirms.
    ``tracked_changes``/``comments`` say that a Word file still holds them (it is refused)."""

    name: str
    pages: list[tuple[int, str]] = field(default_factory=list)
    readable: bool = True
    parts: list[tuple[str, str]] = field(default_factory=list)
    tracked_changes: bool = False
    comments: bool = False

    def sections(self) -> list[tuple[int, str, str]]:
        """[(number, part label or '', text)]: the pages, then the other parts numbered after them,
        so each has its own number for keys such as ``field_name``."""
        out = [(number, "", text) for number, text in self.pages]
        last = max((n for n, _t in self.pages), default=0)
        out += [(last + i, label, text) for i, (label, text) in enumerate(self.parts, start=1)]
        return out


def where(file_name: str, number: int, part: str = "") -> str:
    """「相談記録.pdf」2ページ, or 「相談記録.docx」ヘッダー — where to look, in the words of the screen."""
    if part:
        return str(_("“%(name)s” %(part)s") % {"name": file_name, "part": part})
    return str(_("“%(name)s” page %(page)s") % {"name": file_name, "page": number})


@dataclass(frozen=True)
class FileFinding:
    """A finding of the guard in one page of one file. ``kind``/``text``/``start``/``end`` are the
    finding's, so code that shows findings of text fields shows these too."""

    file_name: str
    page: int
    finding: pii.Finding
    part: str = ""

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
        return where(self.file_name, self.page, self.part)


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


# The parts of a Word file that hold text besides the body, in the order they are shown after it.
_DOCX_PARTS = (
    (re.compile(r"^word/header\d*\.xml$"), _("header")),
    (re.compile(r"^word/footer\d*\.xml$"), _("footer")),
    (re.compile(r"^word/footnotes\.xml$"), _("footnotes")),
    (re.compile(r"^word/endnotes\.xml$"), _("endnotes")),
    (re.compile(r"^word/comments\.xml$"), _("comments")),
)
_TRACKED = {f"{_W}{tag}" for tag in ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")}
_COMMENT = {f"{_W}comment", f"{_W}commentReference", f"{_W}commentRangeStart"}


@dataclass
class _DocxText:
    pages: list[tuple[int, str]]
    parts: list[tuple[str, str]]
    tracked_changes: bool
    comments: bool


def _xml(archive, info):
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{info.filename} too large")
    return ElementTree.fromstring(archive.read(info))  # noqa: S314 (stdlib parser expands no external entities)


def _paragraph_text(paragraph, new_page=None) -> list[str]:
    """A paragraph's text, deleted text (w:delText, what a tracked deletion still holds) included."""
    out: list[str] = []
    for node in paragraph.iter():
        if node.tag in (f"{_W}t", f"{_W}delText", f"{_W}instrText") and node.text:
            if node.tag != f"{_W}instrText":
                out.append(node.text)
        elif node.tag == f"{_W}tab":
            out.append("\t")
        elif node.tag == f"{_W}br" and node.get(f"{_W}type") == "page" and new_page:
            new_page(out)
        elif node.tag == f"{_W}br":
            out.append("\n")
        elif node.tag == f"{_W}lastRenderedPageBreak" and new_page:
            new_page(out)
    return out


def _docx_text(fileobj) -> _DocxText:
    with zipfile.ZipFile(fileobj) as archive:
        root = _xml(archive, archive.getinfo("word/document.xml"))
        others = []
        for pattern, label in _DOCX_PARTS:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if pattern.match(info.filename):
                    others.append((label, _xml(archive, info)))
    pages: list[tuple[int, str]] = []
    current: list[str] = []

    def new_page(pending):
        current.extend(pending)
        pending.clear()
        if current:
            pages.append((len(pages) + 1, "".join(current).strip("\n")))
            current.clear()

    tags = {node.tag for node in root.iter()}
    body = root.find(f"{_W}body")
    for paragraph in body.iter(f"{_W}p") if body is not None else ():
        current.extend(_paragraph_text(paragraph, new_page))
        current.append("\n")
    pages.append((len(pages) + 1, "".join(current).strip("\n")))
    parts: list[tuple[str, str]] = []
    for label, part in others:
        tags |= {node.tag for node in part.iter()}
        text = "\n".join("".join(_paragraph_text(p)) for p in part.iter(f"{_W}p")).strip()
        if text:
            parts.append((str(label), text))
    return _DocxText(
        pages=pages,
        parts=parts,
        tracked_changes=bool(tags & _TRACKED),
        comments=bool(tags & _COMMENT),
    )


def extract(fileobj, *, name: str, content_type: str) -> FileText:
    """The text of a stored or uploaded file, page by page (and a Word file's other parts)."""
    if content_type not in READABLE:
        return FileText(name=name, readable=False)
    docx = None
    try:
        fileobj.seek(0)
        if content_type == PDF:
            pages = _pdf_pages(fileobj)
        else:
            docx = _docx_text(fileobj)
            pages = docx.pages
    except Exception:  # noqa: BLE001 (a damaged or locked file: said on screen, never a server error)
        logger.info("no text could be read from an attachment (%s)", content_type, exc_info=True)
        return FileText(name=name, readable=False)
    finally:
        with contextlib.suppress(OSError, ValueError):
            fileobj.seek(0)
    readable = any(re.search(r"\S", text) for _n, text in pages)
    if docx is None:
        return FileText(name=name, pages=pages, readable=readable)
    return FileText(
        name=name,
        pages=pages,
        readable=readable or bool(docx.parts),
        parts=docx.parts,
        tracked_changes=docx.tracked_changes,
        comments=docx.comments,
    )


def refuse_hidden_text(file_text: FileText) -> None:
    """A Word file that still holds tracked changes or comments is refused: deleted passages and
    comments travel with the file (and name their authors) though the page no longer shows them."""
    reasons = []
    if file_text.tracked_changes:
        reasons.append(_("tracked changes (変更履歴)"))
    if file_text.comments:
        reasons.append(_("comments"))
    if reasons:
        raise ValidationError(
            _(
                "“%(name)s” still contains %(what)s. Deleted text and comments stay in the file "
                "(with their authors' names) even where the page no longer shows them. In Word, "
                "accept or reject every change and delete every comment, save, and upload it again."
            )
            % {"name": file_text.name, "what": "、".join(str(r) for r in reasons)}
        )


def scan(file_text: FileText) -> list[FileFinding]:
    """The guard's findings in every page of the file, and in a Word file's other parts."""
    return [
        FileFinding(file_text.name, number, finding, part)
        for number, part, text in file_text.sections()
        for finding in pii.scan(text)
    ]


def check_upload(upload, *, content_type: str) -> FileText:
    """Read a file being uploaded (before it is stored); a Word file with tracked changes or
    comments is refused (ValidationError). The caller scans it and, when it is not
    ``readable``, asks the person to confirm it holds no personal data."""
    file_text = extract(upload, name=getattr(upload, "name", "") or "", content_type=content_type)
    refuse_hidden_text(file_text)
    return file_text


def scan_upload(upload, *, content_type: str) -> list[FileFinding]:
    """Findings in a file being uploaded (before it is stored); refuses hidden text (see above)."""
    return scan(check_upload(upload, content_type=content_type))


# A file that could not be read (an image, a scanned PDF, a damaged file) stands as one finding of
# this kind, so the writer confirms it (having opened the file) like a passage, and it is recorded.
UNREADABLE = "unreadable_file"


def unreadable_finding(file_name: str) -> pii.Finding:
    return pii.Finding(0, 0, UNREADABLE, file_name)


def unreadable_field(attachment_pk: int) -> str:
    """``attachment-12-unread``: the field a stored file that could not be read goes by."""
    return f"attachment-{attachment_pk}-unread"


def attachment_pk(field: str) -> int | None:
    """12 for ``attachment-12-p3`` or ``attachment-12-unread``; None for any other field."""
    m = re.fullmatch(r"attachment-(\d+)-(?:p\d+|unread)", field)
    return int(m.group(1)) if m else None


def unreadable_passage(file_name: str) -> Passage:
    return Passage(label=f"「{file_name}」", value=str(UNREADABLE_MESSAGE))


UNREADABLE_MESSAGE = _(
    "The contents of this attached file could not be checked (an image or a scanned page has no "
    "text to read). Open the file and make sure it holds nothing that identifies a person."
)


def field_name(attachment_pk: int, page: int) -> str:
    """The name a finding in an attachment page goes by where findings are keyed by field
    (confirmations, the findings of a case): ``attachment-12-p3``."""
    return f"attachment-{attachment_pk}-p{page}"


@dataclass(frozen=True)
class Passage:
    """One attachment page shown like a text field on the findings screen: a label and a value."""

    label: str
    value: str
