"""Reading an export as a browser does: the body is consumed inside the query count, because a
streamed response reads its rows after the view has returned."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook


def parse(body: bytes, fmt: str, sheet: int = 0) -> list[list]:
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeff")
        return [row for row in csv.reader(io.StringIO(text[1:]))]
    workbook = load_workbook(io.BytesIO(body))
    ws = workbook.worksheets[sheet]
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


def download(client, url, fmt="xlsx", data=None):
    """(response, body) with the whole body read."""
    response = client.get(url, {**(data or {}), **({"fmt": fmt} if fmt else {})})
    assert response.status_code == 200, response.status_code
    # Reading a streamed body to its end closes the response (the test client's wrapper), as the
    # server does; closing it again here would fire request_finished, whose connection clean-up
    # closes the test's PostgreSQL connection in the middle of its transaction.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def export(client, url, fmt="xlsx", data=None, sheet=0, kind=None):
    """(rows of the file, queries made to answer and to read it). ``fmt`` is asked for with
    ``?fmt=`` (None: a URL of one format); ``kind`` is the file's format, by default ``fmt``'s."""
    with CaptureQueriesContext(connection) as ctx:
        _response, body = download(client, url, fmt, data)
    return parse(body, kind or fmt or "xlsx", sheet), len(ctx.captured_queries)


def assert_flat(client, url, add_rows, *, fmt="xlsx", data=None, many=24, sheet=0, grows=True, kind=None):
    """The export costs the same queries at one row and at many; returns the rows read at many and
    the number of queries. ``add_rows(n)`` adds n rows (with their related objects varied);
    ``grows=False`` for a sheet of counts, whose lines do not grow with the rows counted."""
    add_rows(1)
    export(client, url, fmt, data, sheet, kind)  # warm process-wide caches (content types, translations)
    _rows, one = export(client, url, fmt, data, sheet, kind)
    add_rows(many)
    rows, more = export(client, url, fmt, data, sheet, kind)
    assert one == more, f"{url} ({fmt}): {one} queries at 1 row, {more} at {many + 1} rows"
    if grows:
        assert len(rows) > many, "the rows added are in the file"
    return rows, one
