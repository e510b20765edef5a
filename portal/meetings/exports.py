"""Headers and rows of a meeting's lists as exports: registrations (the attendance list), the
waiting list and a fair's exhibitors. Rows are generators over the page's own queryset, read in
chunks; statuses and modes are their Japanese labels."""

from __future__ import annotations

from django.utils.translation import pgettext

from portal.core import waitlist
from portal.core.spreadsheets import iso

CHUNK = 2000


def registration_header() -> list[str]:
    return [
        pgettext("export", "Organisation"),
        pgettext("export", "Municipal code"),
        pgettext("export", "Name"),
        pgettext("export", "Status"),
        pgettext("export", "Mode of attendance"),
        pgettext("export", "Accessibility needs"),
        pgettext("export", "Checked in at"),
        pgettext("export", "Registered at"),
    ]


def registration_rows(registrations):
    for r in registrations.iterator(chunk_size=CHUNK):
        yield [
            str(r.organization),
            r.organization.code,
            r.user.get_full_name(),
            r.get_status_display(),
            r.get_mode_display(),
            r.accessibility,
            iso(r.checked_in_at),
            iso(r.created_at),
        ]


def waitlist_header() -> list[str]:
    return [
        pgettext("export", "Place"),
        pgettext("export", "Organisation"),
        pgettext("export", "Name"),
        pgettext("export", "Status"),
        pgettext("export", "Mode of attendance"),
        pgettext("export", "Registered at"),
        pgettext("export", "Offer open until"),
    ]


def waitlist_rows(registrations):
    for place, r in waitlist.numbered(registrations.iterator(chunk_size=CHUNK)):
        yield [
            place,
            str(r.organization),
            r.user.get_full_name(),
            r.get_status_display(),
            r.get_mode_display(),
            iso(r.created_at),
            iso(r.offer_expires_at),
        ]


def exhibitor_header() -> list[str]:
    return [
        pgettext("export", "Organisation"),
        pgettext("export", "Municipal code"),
        pgettext("export", "Status"),
        pgettext("export", "Staff attending"),
        pgettext("export", "What is offered"),
        pgettext("export", "Applied by"),
        pgettext("export", "Applied at"),
    ]


def exhibitor_rows(applications):
    for x in applications.iterator(chunk_size=CHUNK):
        yield [
            str(x.organization),
            x.organization.code,
            x.get_status_display(),
            x.staff_count,
            x.offer,
            x.applied_by.get_full_name(),
            iso(x.created_at),
        ]
