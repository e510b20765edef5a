"""The talent bank's consultation list as an export: the list's columns (date, organisation,
field, topic, expert, status) plus format and request date; never the description or reasons."""

from __future__ import annotations

from django.utils.translation import pgettext

from portal.core.spreadsheets import iso

CHUNK = 2000


def consultation_header() -> list[str]:
    return [
        pgettext("export", "Date and time"),
        pgettext("export", "Organisation"),
        pgettext("export", "Field"),
        pgettext("export", "Topic"),
        pgettext("export", "Format"),
        pgettext("export", "Expert"),
        pgettext("export", "Status"),
        pgettext("export", "Fiscal year"),
        pgettext("export", "Requested at"),
    ]


def consultation_rows(consultations):
    for c in consultations.iterator(chunk_size=CHUNK):
        yield [
            iso(c.starts_at),
            str(c.organization),
            c.get_field_display(),
            c.topic,
            c.get_format_display(),
            c.expert.get_full_name() if c.expert_id else "",
            c.get_status_display(),
            c.fiscal_year,
            iso(c.created_at),
        ]
