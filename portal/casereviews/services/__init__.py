"""Every write of the expert panel (cases, triage, meetings, advice, follow-up and retention),
one module per use case."""

from __future__ import annotations

from portal.core.dates import is_business_day
from portal.core.exceptions import StaleEdit

from ._common import TRANSITIONS, InvalidTransition, MeetingFull, PersonalDataFound
from .advice import advice_issue, advice_save
from .drafts import draft_delete, draft_purge_candidates, purge_draft
from .followup import case_close, follow_up_report, send_report_reminders
from .grants import (
    _refuse_conflicts,
    blind_review_default_set,
    conflict_confirm,
    conflict_declare,
    conflict_end,
)
from .meetings import meeting_dates, meeting_event, meeting_update, meetings_generate, send_meeting_reminders
from .retention import purge_candidates, purge_case, purge_due_cases
from .submission import (
    CASE_FIELDS,
    CONTENT_FIELDS,
    attachment_passage,
    case_create,
    case_save,
    case_save_and_submit,
    case_submit,
    confirmation_hash,
    finding_key,
    guard_findings,
)
from .triage import (
    attendance_respond,
    case_accept,
    case_assign_adhoc,
    case_decline,
    case_mark_reviewed,
    case_return,
    case_schedule,
    case_unschedule,
    note_add,
)

__all__ = [
    "StaleEdit",
    "PersonalDataFound",
    "MeetingFull",
    "InvalidTransition",
    "TRANSITIONS",
    "is_business_day",
    "CASE_FIELDS",
    "CONTENT_FIELDS",
    "attachment_passage",
    "case_create",
    "case_save",
    "case_save_and_submit",
    "case_submit",
    "confirmation_hash",
    "finding_key",
    "guard_findings",
    "attendance_respond",
    "case_accept",
    "case_assign_adhoc",
    "case_decline",
    "case_mark_reviewed",
    "case_return",
    "case_schedule",
    "case_unschedule",
    "note_add",
    "advice_issue",
    "advice_save",
    "_refuse_conflicts",
    "blind_review_default_set",
    "conflict_confirm",
    "conflict_declare",
    "conflict_end",
    "case_close",
    "follow_up_report",
    "send_report_reminders",
    "meeting_dates",
    "meeting_event",
    "meeting_update",
    "meetings_generate",
    "send_meeting_reminders",
    "purge_candidates",
    "purge_case",
    "purge_due_cases",
    "draft_delete",
    "draft_purge_candidates",
    "purge_draft",
]
