"""Follow-up reports, closing a case and the report reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import audit

from .. import permissions
from ..models import Case, FollowUpReport
from ._common import S, _case_url, _coordinators, _locked, _members, _move, _notify, _require_coordinator

# --- follow-up, closing ---------------------------------------------------------------------------------


def follow_up_report(*, actor, case: Case, body: str) -> FollowUpReport:
    if not body.strip():
        raise ValidationError(_("The report is empty."))
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.is_case_owner(actor, locked):
            raise PermissionDenied
        report = FollowUpReport.objects.create(case=locked, body=body.strip(), submitted_by=actor)
        if locked.status == S.ADVISED:
            _move(locked, S.FOLLOW_UP, actor)
            locked.save()
        else:
            audit.record(actor=actor, action="case.report", obj=locked)
        _notify(
            _coordinators(),
            title=_("Follow-up report for case %(ref)s") % {"ref": locked.reference},
            url=_case_url(locked),
        )
    return report


def case_close(*, actor, case: Case, comment: str = "") -> Case:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _move(_locked(case), S.CLOSED, actor, comment)
        locked.closed_at = timezone.now()
        locked.save()
    return locked


def send_report_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    count = 0
    for case in Case.objects.filter(status=S.ADVISED, report_due__lte=today, report_reminded=False):
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, report_reminded=False).update(report_reminded=True):
                continue
            _notify(
                _members(case.organization),
                title=_("Please report how case %(ref)s went after the advice") % {"ref": case.reference},
                url=_case_url(case),
            )
            count += 1
    return count
