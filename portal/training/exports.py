"""Headers and rows of the training lists as exports: a session's registrations (the roster page)
and its waiting list. Rows are generators over the page's own queryset, read in chunks."""

from __future__ import annotations

from django.utils.translation import pgettext

from portal.core import waitlist
from portal.core.spreadsheets import iso

CHUNK = 2000


def roster_header() -> list[str]:
    return [
        pgettext("export", "Name"),
        pgettext("export", "Organisation"),
        pgettext("export", "Municipal code"),
        pgettext("export", "Status"),
        pgettext("export", "Mode of attendance"),
        pgettext("export", "Accessibility needs"),
        pgettext("export", "Attendance"),
        pgettext("export", "Registered at"),
    ]


def roster_rows(registrations):
    for r in registrations.iterator(chunk_size=CHUNK):
        yield [
            r.user.get_full_name(),
            str(r.organization),
            r.organization.code,
            r.get_status_display(),
            r.get_mode_display(),
            r.accessibility,
            r.get_attendance_display(),
            iso(r.created_at),
        ]


def waitlist_header() -> list[str]:
    return [
        pgettext("export", "Place"),
        pgettext("export", "Name"),
        pgettext("export", "Organisation"),
        pgettext("export", "Status"),
        pgettext("export", "Mode of attendance"),
        pgettext("export", "Registered at"),
        pgettext("export", "Offer open until"),
    ]


def waitlist_rows(registrations):
    for place, r in waitlist.numbered(registrations.iterator(chunk_size=CHUNK)):
        yield [
            place,
            r.user.get_full_name(),
            str(r.organization),
            r.get_status_display(),
            r.get_mode_display(),
            iso(r.created_at),
            iso(r.offer_expires_at),
        ]
