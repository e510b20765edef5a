"""Uploaded files: the type is decided by the content (magic bytes), not by the name or the
browser's claim; size is limited; files are only ever served through permission-checked views."""

from __future__ import annotations

import mimetypes
import re
import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

KIND_LABELS = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (xlsx)",
}
DOCUMENTS = tuple(KIND_LABELS)
KIND_LABELS.update({"video/mp4": "MP4", "video/webm": "WebM"})
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
}


# Other spellings of the same type's extension, kept as the person wrote them.
EXTENSION_ALIASES = {"image/jpeg": (".jpg", ".jpeg", ".jpe"), "video/mp4": (".mp4", ".m4v")}
_EXTENSION = re.compile(r"^(?P<stem>.+)\.(?P<ext>[A-Za-z0-9]{1,8})$")


def name_with_extension(filename: str, content_type: str) -> str:
    """The filename with the extension of its real type: a PNG uploaded as ``x.html`` is ``x.png``,
    so no browser or desktop opens it as something else. Unknown types keep the name."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    extension = EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type, strict=False)
    if not extension or content_type == "application/octet-stream":
        return filename
    accepted = EXTENSION_ALIASES.get(content_type, (extension,))
    match = _EXTENSION.match(filename)
    if match and f".{match['ext'].lower()}" in accepted:
        return filename
    stem = match["stem"] if match else filename
    return f"{stem}{extension}"


# Office files that carry a VBA project (.docm/.xlsm/.pptm, or one renamed to .docx): code that runs
# on the reader's computer. Refused for every upload, whatever the field accepts.
MACRO_ENABLED = "application/vnd.ms-office.macroenabled"
_MACRO_PART = re.compile(r"(?:^|/)vbaProject\.bin$|(?:^|/)vbaData\.xml$", re.IGNORECASE)


def macro_enabled(names) -> bool:
    """True when a zip's part names include a VBA project (``word/vbaProject.bin`` and its kin)."""
    return any(_MACRO_PART.search(name) for name in names)


def _content_types(archive) -> str:
    """The package's [Content_Types].xml, lower-cased ('' when missing or implausibly large)."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return ""
    if info.file_size > 1024 * 1024:
        return ""
    return archive.read(info).decode("utf-8", "replace").lower()


def sniff(upload) -> str | None:
    """The real type of an uploaded file, from its first bytes (and zip directory for OOXML)."""
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                types = _content_types(archive)
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if macro_enabled(names) or "macroenabled" in types or "vbaproject" in types:
            return MACRO_ENABLED
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def validate_upload(upload, *, allowed=DOCUMENTS, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Return the sniffed content type or raise a ValidationError in the user's language."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": max_bytes // 1024 // 1024}
        )
    kind = sniff(upload)
    if kind == MACRO_ENABLED:
        raise ValidationError(
            _(
                "This Office file contains macros (a VBA project), which can run programs on the "
                "reader's computer, so it cannot be uploaded. Save it as a Word (.docx) or Excel "
                "(.xlsx) file without macros, or as a PDF, and upload that."
            )
        )
    if kind not in allowed:
        raise ValidationError(
            _("This type of file cannot be uploaded. Allowed: %(kinds)s.")
            % {"kinds": "、".join(KIND_LABELS[k] for k in allowed)}
        )
    assert kind is not None  # noqa: S101 (narrowing for the type checker: allowed holds no None)
    return kind


def serve(stored_file, *, filename: str, content_type: str) -> HttpResponseBase:
    from django.conf import settings

    if settings.FILE_OFFLOAD == "presigned":
        from .streaming import presigned

        return presigned(stored_file, filename=filename, content_type=content_type)
    response = FileResponse(
        stored_file.open("rb"),
        as_attachment=True,
        filename=name_with_extension(filename, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def store(field_file, upload, content_type: str, *, title: str | None = None) -> str:
    """Save an already validated upload under a random name (the original name is never used on
    disk); returns the stored name. A PDF given a ``title`` that has none of its own gets it as
    its document title, which readers show instead of the file name."""
    import uuid

    stored = f"{uuid.uuid4().hex}{EXTENSIONS[content_type]}"
    if title and content_type == "application/pdf":
        from django.core.files.base import ContentFile

        from .pdf import with_title

        upload.seek(0)
        upload = ContentFile(with_title(upload.read(), title))
    field_file.save(stored, upload, save=False)
    return stored


def original_name(upload, fallback: str, content_type: str | None = None) -> str:
    """The name the person gave the file, with the extension of its detected type."""
    name = upload.name or fallback
    kind = content_type or sniff(upload)
    if kind:
        name = name_with_extension(name, kind)
    return name[-255:]
