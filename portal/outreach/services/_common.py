"""What the writes of 巡回相談 and 訪問相談 share: the defaults, the personal-data guard and the
notifications."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.core import outbox, pii

from ..models import OutreachHost, SlotBooking, VisitReferral

PersonalDataFound = pii.PersonalDataFound
H = OutreachHost.Status
B = SlotBooking.Status
R = VisitReferral.Status

DEFAULT_START = dt.time(10, 0)
DEFAULT_SLOTS = 6
DEFAULT_SLOT_MINUTES = 45
DEFAULT_BREAK_MINUTES = 15
STAFF_PER_DAY = 2
MIN_AGE = 15
MIN_WITHDRAWAL_MONTHS = 6


class SlotTaken(Exception):
    """Someone else booked the slot first."""


_notify = outbox.notify_all


def _host_url(host) -> str:
    return reverse("outreach:host_detail", args=[host.pk])


def _confirm_findings(fields: dict[str, str], confirmed) -> dict[str, list[pii.Finding]]:
    """The guard: every finding is edited away or confirmed. Raises with the open ones."""
    findings = pii.scan_fields(fields)
    open_findings = {
        name: [f for f in items if pii.finding_key(name, f) not in confirmed]
        for name, items in findings.items()
    }
    open_findings = {k: v for k, v in open_findings.items() if v}
    if open_findings:
        raise PersonalDataFound(open_findings)
    return findings
