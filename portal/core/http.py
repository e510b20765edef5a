"""Responses the apps share, and the rules of a long job's progress."""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

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
ACTIVE = ("queued", "running")
# A running job writes a heartbeat at every step (a certificate, a stage of a PDF); one that has been
# silent this long was lost: its worker died or its broker message never arrived. Longer than the
# slowest single step (laying out a whole guidebook), so a slow job is never taken for a dead one.
STALE_AFTER = dt.timedelta(minutes=15)
# A job lost this many times stops as failed instead of being started again forever.
MAX_RESTARTS = 3


def stale_before(now=None) -> dt.datetime:
    """Active jobs whose last heartbeat is older than this are lost."""
    return (now or timezone.now()) - STALE_AFTER


def job_is_stale(job, now=None) -> bool:
    """``job`` has ``status`` and ``heartbeat_at`` (a guidebook build, a certificate batch)."""
    return job.status in ACTIVE and job.heartbeat_at < stale_before(now)


def job_note(job, now=None) -> str:
    """What happened to a job that did not run straight through, for its progress page."""
    if job.status not in ACTIVE:
        return ""
    if job_is_stale(job, now):
        return _("Processing has stopped; it will be started again shortly")
    if job.restarts:
        return _("Processing was interrupted, so it is being done again")
    return ""


def job_progress(
    *,
    status: str,
    label: str,
    done: int,
    total: int,
    percent: int,
    reload: bool = False,
    note: str = "",
):
    """A long job's state as the progress script in static/js/portal.js reads it
    (certificate batches, guidebook builds); ``reload`` asks the page to reload once finished;
    ``note`` says what happened to an interrupted job and goes in front of the label."""
    from django.http import JsonResponse

    finished = status in FINISHED
    return JsonResponse(
        {
            "status": status,
            "status_label": f"{note}（{label}）" if note else label,
            **({"note": note} if note else {}),
            "done": done,
            "total": total,
            "percent": percent,
            "finished": finished,
            **({"reload": finished} if reload else {}),
        }
    )


def referring_page(request, default: str = "/") -> str:
    """The path (and query) of this site's page that sent the request, from the Referer header;
    ``default`` when there is none or it is another site's."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.headers.get("Referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    back = urlsplit(referer)
    return (back.path or "/") + (f"?{back.query}" if back.query else "")
