"""Stored files streamed to the browser after the view has checked permission: read in chunks
(never whole into memory), with single-range requests (video seeking, resumed downloads),
ETag / Last-Modified validators and a Japanese filename that survives every browser.

    return streaming.serve(request, material.file, filename="ガイドブック.pdf", content_type=...)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe

from .uploads import name_with_extension

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def ascii_fallback(name: str) -> str:
    """The name for clients that cannot read ``filename*``: the ASCII words of the name joined by
    hyphens, never a row of underscores; a name without a Latin letter becomes ``download`` (with
    its numbers): 「令和7年度版.pdf」 → ``download-7.pdf``, ``advice-C-1-下書き.pdf`` →
    ``advice-C-1.pdf``."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not extension.isascii() or not extension.isalnum():
        stem, extension = name, ""
    words = re.findall(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*", unicodedata.normalize("NFKC", stem))
    ascii_stem = "-".join(w for w in words if w.isascii())
    if not re.search(r"[A-Za-z]", ascii_stem):
        ascii_stem = "-".join(x for x in ("download", ascii_stem) if x)
    return f"{ascii_stem}.{extension}" if extension else ascii_stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name; quotes, slashes and control
    characters are removed so the header cannot be broken or a path smuggled in."""
    name = unicodedata.normalize("NFC", filename)
    name = re.sub(r'[\x00-\x1f\x7f"\\/]', "_", name).strip() or "download"
    ascii_name = ascii_fallback(name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _chunks(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


class Unsatisfiable(Exception):
    """The range starts beyond the file (answered 416)."""


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive), or None for no usable range; raises Unsatisfiable."""
    match = _RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        n = int(last)
        if n == 0:
            raise Unsatisfiable
        return max(size - n, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size:
        raise Unsatisfiable
    if end < start:
        return None
    return start, min(end, size - 1)


def validators(stored_file, *, version: str = "") -> tuple[str, float]:
    """A strong ETag from the stored name, size and modification time (plus a caller's version)."""
    storage = stored_file.storage
    modified = storage.get_modified_time(stored_file.name).timestamp()
    size = stored_file.size
    tag = hashlib.sha256(f"{stored_file.name}:{size}:{modified}:{version}".encode()).hexdigest()[:32]
    return f'"{tag}"', modified


def serve(
    request,
    stored_file,
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    public: bool = False,
    version: str = "",
):
    if settings.FILE_OFFLOAD == "nginx":
        return _offloaded(
            stored_file, filename=filename, content_type=content_type, inline=inline, public=public
        )
    if settings.FILE_OFFLOAD == "presigned":
        return presigned(stored_file, filename=filename, content_type=content_type, inline=inline)
    size = stored_file.size
    etag, modified = validators(stored_file, version=version)
    cache = "public, max-age=3600" if public else "private, no-cache"
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Accept-Ranges": "bytes",
        "Cache-Control": cache,
        "X-Content-Type-Options": "nosniff",
    }

    if_none_match = request.headers.get("If-None-Match")
    not_modified = (
        any(t.strip() in (etag, "*") for t in if_none_match.split(","))
        if if_none_match
        else (
            (since := parse_http_date_safe(request.headers.get("If-Modified-Since", ""))) is not None
            and int(modified) <= since
        )
    )
    if not_modified and request.method in ("GET", "HEAD"):
        unchanged = HttpResponse(status=304)
        for k, v in headers.items():
            unchanged[k] = v
        return unchanged

    byte_range = None
    range_header = request.headers.get("Range")
    if range_header:
        if_range = request.headers.get("If-Range")
        if not if_range or if_range.strip() == etag or if_range.strip() == http_date(modified):
            try:
                byte_range = _parse_range(range_header, size)
            except Unsatisfiable:
                refused = HttpResponse(status=416)
                refused["Content-Range"] = f"bytes */{size}"
                for k, v in headers.items():
                    refused[k] = v
                return refused

    start, end = byte_range if byte_range else (0, size - 1)
    length = end - start + 1 if size else 0
    body = [] if request.method == "HEAD" else _chunks(stored_file.open("rb"), start, length)
    response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
        body, content_type=content_type, status=206 if byte_range else 200
    )
    for k, v in headers.items():
        response[k] = v
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition(
        name_with_extension(filename, content_type), inline=inline
    )
    return response


def _offloaded(stored_file, *, filename: str, content_type: str, inline: bool, public: bool) -> HttpResponse:
    """The permission check is done; the web server sends the bytes (X-Accel-Redirect to an
    ``internal`` location), with ranges, ETag and Last-Modified of its own."""
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.FILE_OFFLOAD_PREFIX.rstrip("/") + "/" + quote(stored_file.name)
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition(
        name_with_extension(filename, content_type), inline=inline
    )
    return response


def presigned(stored_file, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """Object storage (MEDIA_STORAGE=s3, FILE_OFFLOAD=presigned): the permission check and the audit
    are done; the browser is sent to a signed address valid for FILE_OFFLOAD_SECONDS, from which the
    bucket sends the bytes (ranges and validators included) with the name and type given here."""
    url = stored_file.storage.url(
        stored_file.name,
        parameters={
            "ResponseContentDisposition": content_disposition(
                name_with_extension(filename, content_type), inline=inline
            ),
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        },
        expire=settings.FILE_OFFLOAD_SECONDS,
    )
    response = HttpResponse(status=302)
    response["Location"] = url
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
