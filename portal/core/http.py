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


FINISHED = ("done", "failed")


def job_progress(*, status: str, label: str, done: int, total: int, percent: int, reload: bool = False):
    """A long job's state as the progress script in static/js/portal.js reads it
    (certificate batches, guidebook builds); ``reload`` asks the page to reload once finished."""
    from django.http import JsonResponse

    finished = status in FINISHED
    return JsonResponse(
        {
            "status": status,
            "status_label": label,
            "done": done,
            "total": total,
            "percent": percent,
            "finished": finished,
            **({"reload": finished} if reload else {}),
        }
    )
