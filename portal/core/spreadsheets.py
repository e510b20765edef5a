"""xlsx and CSV exports. Cells that a spreadsheet would run as a formula are neutralised."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """'=HYPERLINK(...)' → \"'=HYPERLINK(...)\": shown as text, never evaluated."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """sheets: [(title, header, rows)] → an xlsx file."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        ws = workbook.create_sheet(title=title[:31])
        ws.append([neutralise(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([neutralise(v) for v in row])
        for column in ws.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 60)
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(header: list[str], rows: list[list]) -> str:
    """CSV with a BOM so that Excel opens the Japanese text as UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])
    return buffer.getvalue()
