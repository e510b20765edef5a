"""What every write of the expert panel shares: the status machine, the recorded transition, the row
lock and the notifications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.permissions import require_coordinator
from portal.accounts.selectors import active_members, coordinators
from portal.core import attachments_text, audit, outbox, pii
from portal.core.exceptions import InvalidTransition

from ..models import Case, CaseTransition

S = Case.Status
IMAGES_AND_PDF = ("application/pdf", "image/png", "image/jpeg")
# Municipal staff write case notes in Word: .docx is accepted, read like a PDF (headers, footers,
# comments and deleted text included) and refused while it holds tracked changes or comments.
CASE_ATTACHMENT_TYPES = (*IMAGES_AND_PDF, attachments_text.DOCX)

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.RETURNED, S.ACCEPTED, S.ADHOC, S.DECLINED},
    S.RETURNED: {S.SUBMITTED},
    S.ACCEPTED: {S.SCHEDULED, S.DECLINED},
    S.SCHEDULED: {S.REVIEWED, S.ACCEPTED},
    S.ADHOC: {S.ADVISED},
    S.REVIEWED: {S.ADVISED},
    S.ADVISED: {S.FOLLOW_UP, S.CLOSED},
    S.FOLLOW_UP: {S.CLOSED},
}


PersonalDataFound = pii.PersonalDataFound


class MeetingFull(Exception):
    pass


_require_coordinator = require_coordinator
_members = active_members
_coordinators = coordinators


_notify = outbox.notify_all


def _case_url(case) -> str:
    return reverse("casereviews:case_detail", args=[case.pk])


def _move(case: Case, to: str, actor, comment: str = "") -> Case:
    """Every transition is checked and recorded: actor, time and comment."""
    if to not in TRANSITIONS.get(case.status, set()):
        raise InvalidTransition(
            _("A case in the state “%(state)s” cannot go to “%(to)s”.")
            % {"state": case.get_status_display(), "to": S(to).label}
        )
    CaseTransition.objects.create(
        case=case, from_status=case.status, to_status=to, actor=actor, comment=comment
    )
    audit.record(actor=actor, action=f"case.{to}", obj=case, details={"from": case.status})
    case.status = to
    case.version += 1
    return case


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",)).select_related("organization", "meeting").get(pk=case.pk)
    )
