"""Responses the apps share."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ICS = "text/calendar; charset=utf-8"
CSV = "text/csv; charset=utf-8"


def download(content, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    """A generated file (PDF, xlsx, ICS, CSV) as a download, never cached by the way."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
