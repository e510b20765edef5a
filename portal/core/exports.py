"""Headers and rows of the secretariat's own lists as exports (the audit log, the outbox).

Rows are generators over the same filtered queryset the page shows, read in chunks; every column
a person reads is a Japanese label, never a stored code."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import audit, labels
from .spreadsheets import export_response, iso, requested_format

CHUNK = 2000


def audit_details(fmt: str, filterset=None) -> dict:
    """What the audit keeps of an export: the format and the names of the filters that were set,
    never what was typed into them."""
    details: dict = {"format": fmt}
    if filterset is not None:
        details["filters"] = [name for name in filterset.filters if filterset.data.get(name)]
    return details


def list_download(request, *, action, title, header, rows, stem, obj=None, filterset=None, filters=None):
    """A list as the page shows it, downloaded as xlsx or CSV (``?fmt=``): the export is audited
    (``action``; the format and the names of the filters set, never their values) and streamed.
    ``filters`` names the filters set when the list has no FilterSet."""
    fmt = requested_format(request)
    details = audit_details(fmt, filterset)
    if filters is not None:
        details["filters"] = list(filters)
    audit.record(actor=request.user, action=action, obj=obj, details=details)
    return export_response(fmt, title=title, header=header, rows=rows, stem=stem)


def audit_header() -> list[str]:
    return [
        pgettext("export", "Time"),
        pgettext("export", "Who"),
        pgettext("export", "Organisation"),
        pgettext("export", "Action"),
        pgettext("export", "Object"),
        pgettext("export", "IP address"),
    ]


def audit_rows(events):
    for e in events.iterator(chunk_size=CHUNK):
        yield [
            iso(e.created_at),
            e.actor_email,
            str(e.organization) if e.organization_id else "",
            labels.action_label(e.action),
            e.object_repr or e.object_id,
            e.ip_address or "",
        ]


def outbox_header() -> list[str]:
    return [
        pgettext("export", "Created"),
        _("To"),
        pgettext("export", "Subject"),
        pgettext("export", "Status"),
        pgettext("export", "Attempts"),
        pgettext("export", "Last error"),
        pgettext("export", "Sent"),
    ]


def outbox_rows(mails):
    for m in mails.iterator(chunk_size=CHUNK):
        yield [
            iso(m.created_at),
            m.to,
            m.subject,
            m.get_status_display(),
            m.attempts,
            m.last_error,
            iso(m.sent_at),
        ]
