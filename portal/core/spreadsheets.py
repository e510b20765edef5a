"""xlsx and CSV exports. Cells that a spreadsheet would run as a formula are neutralised.

Exports are written as they are read: rows come from a generator (a queryset read with
``.iterator(chunk_size=...)``, never a list of the whole table), the CSV goes out to the browser
row by row, the xlsx is written by openpyxl's write-only workbook into a temporary file on disk
that is then streamed. Memory stays flat whatever the number of rows.

    return spreadsheets.xlsx_response([("出席", header, rows)], "training-2025.xlsx")
    return spreadsheets.csv_response(header, rows, "registrations.csv")

A list page offers its rows in both formats through one URL (``?fmt=xlsx`` or ``?fmt=csv`` next to
the page's own filters); ``export_response`` picks the writer and dates the file name:

    fmt = spreadsheets.requested_format(request)
    return spreadsheets.export_response(fmt, title="出席", header=header, rows=rows, stem="attendance")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import typing
from collections.abc import Iterable

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .streaming import content_disposition
from .text import without_controls

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
# Rows at or under this size are kept in memory and written in one piece by ``xlsx_bytes``;
# anything larger goes through a temporary file (``xlsx_response``).
_SPOOL = 4 * 1024 * 1024

WRAP_FROM = 40  # characters: longer texts wrap in their cell

Sheet = tuple[str, list[str], Iterable[Iterable]]


def neutralise(value):
    """'=HYPERLINK(...)' → \"'=HYPERLINK(...)\": shown as text, never evaluated. Control
    characters (which xlsx cannot hold) are left out, for rows stored before forms cleaned them."""
    value = without_controls(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # xlsx has no time zones; callers pass Tokyo time
    return neutralise(value)


def _write_workbook(sheets: Iterable[Sheet], target) -> None:
    workbook = Workbook(write_only=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, header, rows in sheets:
        ws = workbook.create_sheet(title=title[:31])
        # Widths come from the header (a write-only sheet cannot be measured afterwards).
        for index, name in enumerate(header, start=1):
            ws.column_dimensions[get_column_letter(index)].width = min(max(12, len(str(name)) * 2.4), 60)
        ws.freeze_panes = "A2"
        head = []
        for name in header:
            cell = WriteOnlyCell(ws, value=neutralise(name))
            cell.font = Font(bold=True)
            head.append(cell)
        ws.append(head)
        for row in rows:
            # Plain values, styled only where a long text needs wrapping: a styled cell object for
            # every value made a 10,000-row year take seconds.
            cells = []
            for value in row:
                value = _cell(value)
                if isinstance(value, str) and (len(value) > WRAP_FROM or "\n" in value):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.alignment = wrap
                    value = cell
                cells.append(value)
            ws.append(cells)
    workbook.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """sheets: [(title, header, rows)] → an xlsx file in memory (small reports, attachments)."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL) as handle:
        _write_workbook(sheets, handle)
        handle.seek(0)
        return handle.read()


def xlsx_response(sheets: Iterable[Sheet], filename: str) -> FileResponse:
    """The workbook written to a temporary file as its rows are read, then streamed from disk.
    A workbook of up to ``_SPOOL`` bytes is handed over in memory instead, so that a response
    nobody reads leaves no open file behind."""
    handle = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 -- closed here or by the FileResponse
    _write_workbook(sheets, handle)
    body: typing.IO[bytes]
    if handle.tell() <= _SPOOL:
        handle.seek(0)
        body = io.BytesIO(handle.read())
        handle.close()
    else:
        handle.seek(0)
        body = handle
    response = FileResponse(body, content_type=XLSX)
    return _download_headers(response, filename)


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable]):
    """CSV lines one by one, with a BOM first so that Excel opens the Japanese text as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in header])
    for row in rows:
        yield writer.writerow([neutralise("" if v is None else str(v)) for v in row])


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    return "".join(csv_rows(header, rows))


def csv_response(header: list[str], rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """The CSV sent to the browser while the rows are read."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type=CSV)
    return _download_headers(response, filename)


def _download_headers(response, filename: str):
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- list exports: one URL per list, the format chosen by ``?fmt=`` -------------------------------

FORMATS = ("xlsx", "csv")


def requested_format(request) -> str:
    """``xlsx`` (the default) or ``csv``; any other value is no export at all (404)."""
    fmt = request.GET.get("fmt") or "xlsx"
    if fmt not in FORMATS:
        raise Http404
    return fmt


def iso(value) -> str:
    """A moment as ISO 8601 Tokyo time to the minute (2026-12-04T14:15+09:00), a day as
    2026-12-04, nothing as "". Exports are read by machines as well as people."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def dated_filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y%m%d}.{fmt}"


def export_response(fmt: str, *, title: str, header: list[str], rows: Iterable[Iterable], stem: str):
    """One list as a download in the chosen format, named ``<stem>-YYYYMMDD.<fmt>``."""
    filename = dated_filename(stem, fmt)
    if fmt == "csv":
        return csv_response(header, rows, filename)
    return xlsx_response([(title, header, rows)], filename)
