"""Exports: formulas neutralised, rows written as they are read, headers for a private download."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.core import spreadsheets


def _rows(count, consumed):
    for i in range(count):
        consumed.append(i)
        yield [f"=cmd{i}", i, None]


def test_xlsx_neutralises_formulas_and_keeps_values():
    content = spreadsheets.xlsx_bytes([("一覧", ["@名前", "数"], [["=1+1", 3], ["普通", 4]])])
    ws = load_workbook(io.BytesIO(content))["一覧"]
    assert [c.value for c in ws[1]] == ["'@名前", "数"]
    assert ws["A2"].value == "'=1+1" and ws["B2"].value == 3
    assert ws["A3"].value == "普通"
    assert ws.freeze_panes == "A2"


def test_csv_response_streams_rows_only_when_read():
    consumed: list[int] = []
    response = spreadsheets.csv_response(["名前", "数", "空"], _rows(3, consumed), "一覧.csv")
    assert consumed == []  # nothing read before the body is sent
    body = b"".join(response.streaming_content).decode("utf-8")
    assert consumed == [0, 1, 2]
    assert body.startswith("\ufeff名前,数,空\r\n")
    assert "'=cmd0,0,\r\n" in body
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''%E4%B8%80%E8%A6%A7.csv" in response["Content-Disposition"]


# Closing a response sends request_finished, whose handler checks the database connection.
@pytest.mark.django_db
def test_xlsx_response_is_a_file_streamed_from_disk():
    consumed: list[int] = []
    response = spreadsheets.xlsx_response([("一覧", ["名前", "数", "空"], _rows(2000, consumed))], "x.xlsx")
    assert response.streaming  # a FileResponse, not the whole workbook in memory
    assert len(consumed) == 2000
    content = b"".join(response.streaming_content)
    response.file_to_stream.close()  # what the server's close of the response does to the file
    ws = load_workbook(io.BytesIO(content))["一覧"]
    assert ws.max_row == 2001
