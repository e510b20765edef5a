"""The case list as an export: who, where and when only. No narrative and no free text ever
leaves the portal this way (pseudonym, history, the question, reasons …); the columns are the
reference, the municipality, the status, the dates and the assigned meeting."""

from __future__ import annotations

from django.utils.translation import pgettext

from portal.core.spreadsheets import iso

CHUNK = 2000


def case_header() -> list[str]:
    return [
        pgettext("export", "Reference"),
        pgettext("export", "Municipality"),
        pgettext("export", "Municipal code"),
        pgettext("export", "Fiscal year"),
        pgettext("export", "Status"),
        pgettext("export", "Created at"),
        pgettext("export", "Submitted at"),
        pgettext("export", "Last change"),
        pgettext("export", "Closed at"),
        pgettext("export", "Case review meeting"),
    ]


def case_rows(cases):
    """``cases`` comes from the case list's visibility queryset and filters (organisation and
    meeting joined); only the columns above are read."""
    for c in cases.iterator(chunk_size=CHUNK):
        yield [
            c.reference,
            c.organization.name,
            c.organization.code,
            c.fiscal_year,
            c.get_status_display(),
            iso(c.created_at),
            iso(c.submitted_at),
            iso(c.updated_at),
            iso(c.closed_at),
            iso(c.meeting.starts_at) if c.meeting_id else "",
        ]
