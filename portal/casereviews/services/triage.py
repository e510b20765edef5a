"""Triage of submitted cases: returning, accepting, declining, ad-hoc review, scheduling, attendance
and panel notes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.permissions import expert_profile
from portal.core import audit, outbox

from .. import permissions
from ..models import Case, Meeting, PanelNote
from ._common import (
    MeetingFull,
    S,
    _case_url,
    _coordinators,
    _locked,
    _members,
    _move,
    _notify,
    _require_coordinator,
)
from .advice import _revoke_all_grants
from .grants import _grant, _refuse_conflicts
from .meetings import _send_case_invitation

# --- triage ------------------------------------------------------------------------------------------


def case_return(*, actor, case: Case, comment: str) -> Case:
    _require_coordinator(actor)
    if not comment.strip():
        raise ValidationError(_("Write what more information is needed."))
    with transaction.atomic():
        locked = _move(_locked(case), S.RETURNED, actor, comment.strip())
        locked.save()
        _notify(
            _members(locked.organization),
            title=_("Case %(ref)s: more information is needed") % {"ref": locked.reference},
            body=comment.strip(),
            url=_case_url(locked),
        )
    return locked


def case_accept(*, actor, case: Case, comment: str = "") -> Case:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _move(_locked(case), S.ACCEPTED, actor, comment)
        locked.route = "meeting"
        locked.save()
        _notify(
            _members(locked.organization),
            title=_("Case %(ref)s was accepted for a case-review meeting") % {"ref": locked.reference},
            url=_case_url(locked),
        )
    return locked


def case_decline(*, actor, case: Case, reason: str) -> Case:
    _require_coordinator(actor)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    with transaction.atomic():
        locked = _move(_locked(case), S.DECLINED, actor, reason.strip())
        locked.route = "declined"
        locked.decline_reason = reason.strip()
        locked.meeting, locked.slot = None, None
        locked.save()
        _revoke_all_grants(locked)
        _notify(
            _members(locked.organization),
            title=_("Case %(ref)s was not taken up") % {"ref": locked.reference},
            body=reason.strip(),
            url=_case_url(locked),
        )
    return locked


def case_assign_adhoc(*, actor, case: Case, expert, comment: str = "") -> Case:
    """Answered by ad-hoc consultation: one expert reads the case and replies in writing."""
    _require_coordinator(actor)
    profile = expert_profile(expert)
    if profile is None:
        raise ValidationError(_("Choose an active expert."))
    if not profile.panel_discipline:
        # The advice record has a part per panel discipline: an expert without one could not write.
        raise ValidationError(
            _("Ask an expert of the panel (medical, psychology, legal or welfare): they write the answer.")
        )
    with transaction.atomic():
        locked = _move(_locked(case), S.ADHOC, actor, comment)
        locked.route = "adhoc"
        locked.adhoc_expert = expert
        locked.save()
        _grant(actor, expert, locked)
        outbox.notify(
            user=expert,
            title=_("Ad-hoc consultation: case %(ref)s") % {"ref": locked.reference},
            url=_case_url(locked),
        )
    return locked


def case_schedule(*, actor, case: Case, meeting: Meeting) -> Case:
    """Put an accepted case on a meeting's agenda. The meeting row is locked, so two coordinators
    can never put more cases on it than it has slots."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked_meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked_meeting.status != Meeting.Status.SCHEDULED:
            raise ValidationError(_("Cases can only be put on a scheduled meeting."))
        taken = set(Case.objects.filter(meeting=locked_meeting).values_list("slot", flat=True))
        free = [n for n in range(1, locked_meeting.capacity + 1) if n not in taken]
        if not free:
            raise MeetingFull
        locked = _locked(case)
        panel = list(locked_meeting.panel.all())
        _refuse_conflicts(panel, [locked])
        _move(locked, S.SCHEDULED, actor)
        locked.meeting, locked.slot = locked_meeting, free[0]
        locked.attendance = Case.Attendance.INVITED
        locked.save()
        for expert in panel:
            _grant(actor, expert, locked)
        _send_case_invitation(locked, "casereviews/email/meeting_invitation")
    return locked


def case_unschedule(*, actor, case: Case) -> Case:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _move(_locked(case), S.ACCEPTED, actor, _("Taken off the agenda"))
        locked.meeting, locked.slot, locked.attendance = None, None, ""
        locked.save()
        _revoke_all_grants(locked)
    return locked


def attendance_respond(*, actor, case: Case, attend: bool) -> Case:
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.is_case_owner(actor, locked):
            raise PermissionDenied
        if locked.status != S.SCHEDULED:
            raise ValidationError(_("The case is not on a meeting."))
        locked.attendance = Case.Attendance.ACCEPTED if attend else Case.Attendance.DECLINED
        locked.save(update_fields=["attendance", "updated_at"])
        audit.record(actor=actor, action="case.attendance", obj=locked, details={"attend": attend})
        _notify(
            _coordinators(),
            title=_("%(org)s will attend the meeting for %(ref)s")
            % {"org": locked.organization, "ref": locked.reference}
            if attend
            else _("%(org)s will not attend the meeting for %(ref)s")
            % {"org": locked.organization, "ref": locked.reference},
            url=_case_url(locked),
        )
    return locked


def case_mark_reviewed(*, actor, case: Case, comment: str = "") -> Case:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _move(_locked(case), S.REVIEWED, actor, comment)
        locked.save()
    return locked


def note_add(*, actor, case: Case, body: str) -> PanelNote:
    if not permissions.can_see_panel_notes(actor, case):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    with transaction.atomic():
        note = PanelNote.objects.create(case=case, author=actor, body=body.strip())
        audit.record(actor=actor, action="case.panel_note", obj=case)
    return note
