"""Every write of the expert panel: cases, triage, meetings, advice, follow-up and retention."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from portal.accounts.models import Organization
from portal.accounts.permissions import expert_profile, is_coordinator, require_coordinator
from portal.accounts.selectors import active_members, coordinators
from portal.core import attachments_text, audit, outbox, pii, purge, reminders, uploads
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import add_business_days, fiscal_year_of, is_business_day, wareki
from portal.core.exceptions import InvalidTransition, StaleEdit

from . import permissions, selectors
from .models import (
    NARRATIVE_FIELDS,
    AdviceRecord,
    AdviceRevision,
    BlindReviewDefault,
    Case,
    CaseAttachment,
    CaseTransition,
    ConflictOfInterest,
    FollowUpReport,
    Meeting,
    PanelNote,
    PersonalDataConfirmation,
    PurgeRecord,
)

__all__ = ["StaleEdit", "PersonalDataFound", "MeetingFull", "InvalidTransition"]

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


# --- drafting and submission -------------------------------------------------------------------------

CASE_FIELDS = [
    "pseudonym",
    "age",
    "age_band",
    "gender",
    "withdrawal_years",
    "living_situation",
    "household",
    "history",
    "current_support",
    "agencies",
    "difficulty",
    "question",
    "disciplines",
    "urgency",
    "consent",
    "consent_reason",
    "blind_review",
]


# What a person fills in (the age band, gender and urgency always carry a default).
CONTENT_FIELDS = [*NARRATIVE_FIELDS, "age", "withdrawal_years", "disciplines", "consent"]


def case_create(*, actor, organization: Organization, data: dict, uploads_=()) -> Case:
    if not permissions.can_create_case(actor, organization):
        raise PermissionDenied
    if not uploads_ and not any(data.get(name) not in (None, "", []) for name in CONTENT_FIELDS):
        raise ValidationError(
            _(
                "Nothing has been entered yet, so no case was created. Write at least the question "
                "for the panel or what is difficult, then save the draft."
            )
        )
    checked = _checked_attachments(uploads_)
    with transaction.atomic():
        fy = fiscal_year_of()
        count = Case.objects.filter(fiscal_year=fy).count()  # the random suffix keeps references unique
        case = Case(
            organization=organization,
            fiscal_year=fy,
            created_by=actor,
            reference=f"C{fy}-{count + 1:04d}-{uuid.uuid4().hex[:4].upper()}",
            blind_review=selectors.blind_review_default(organization),
        )
        for name in CASE_FIELDS:
            if name in data:
                setattr(case, name, data[name])
        case.save()
        for upload, content_type in checked:
            _store_attachment(actor, case, upload, content_type)
        audit.record(actor=actor, action="case.create", obj=case)
    return case


def _checked_attachments(uploads_) -> list[tuple]:
    """Each upload with its sniffed type; a Word file still holding tracked changes or comments is
    refused (ValidationError) before anything is stored."""
    checked = []
    for upload in uploads_:
        content_type = uploads.validate_upload(upload, allowed=CASE_ATTACHMENT_TYPES)
        if content_type == attachments_text.DOCX:
            attachments_text.check_upload(upload, content_type=content_type)
        checked.append((upload, content_type))
    return checked


def _store_attachment(actor, case, upload, content_type) -> CaseAttachment:
    attachment = CaseAttachment(case=case, content_type=content_type, size=upload.size, uploaded_by=actor)
    attachment.stored_name = uploads.store(attachment.file, upload, content_type)
    attachment.original_name = uploads.original_name(upload, attachment.stored_name)
    attachment.save()
    return attachment


def case_save(*, actor, case: Case, data: dict, based_on_version: int, uploads_=()) -> Case:
    """Save the draft; a stale save (someone saved in between) is refused and nothing is written."""
    checked = _checked_attachments(uploads_)
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.is_case_owner(actor, locked):
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("The case has been submitted and can no longer be changed here."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        changed = [n for n in CASE_FIELDS if n in data and getattr(locked, n) != data[n]]
        for name in changed:
            setattr(locked, name, data[name])
        for upload, content_type in checked:
            _store_attachment(actor, locked, upload, content_type)
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="case.save", obj=locked, details={"changed": changed})
    return locked


finding_key = pii.finding_key


def guard_findings(case: Case) -> dict[str, list[pii.Finding]]:
    found = pii.scan_fields({name: getattr(case, name) for name in NARRATIVE_FIELDS})
    texts = _attachment_texts(case)
    pages = _attachment_pages(case, texts).items()
    found |= {field: items for field, (_where, text) in pages if (items := pii.scan(text))}
    return found | _unreadable_attachment_findings(texts)


def _attachment_texts(case: Case) -> list[tuple[CaseAttachment, attachments_text.FileText]]:
    texts = []
    for a in case.attachments.all():
        with a.file.open("rb") as f:
            texts.append((a, attachments_text.extract(f, name=a.original_name, content_type=a.content_type)))
    return texts


def _attachment_pages(case: Case, texts=None) -> dict[str, tuple[str, str]]:
    """The text of the case's PDF and Word attachments, page by page (and a Word file's headers,
    footers, footnotes and comments): {"attachment-12-p3": (where, text)}."""
    pages = {}
    for a, text in _attachment_texts(case) if texts is None else texts:
        for number, part, page_text in text.sections():
            where = attachments_text.where(a.original_name, number, part)
            pages[attachments_text.field_name(a.pk, number)] = (where, page_text)
    return pages


def _unreadable_attachment_findings(texts) -> dict[str, list[pii.Finding]]:
    """An image or a scanned PDF cannot be read: it stands as one finding of its own, which the
    writer confirms (after opening the file) like any other, and the confirmation is audited."""
    return {
        attachments_text.unreadable_field(a.pk): [attachments_text.unreadable_finding(a.original_name)]
        for a, text in texts
        if not text.readable
    }


def _audit_unreadable_confirmations(actor, case: Case, findings: dict) -> None:
    for field, items in findings.items():
        if any(f.kind == attachments_text.UNREADABLE for f in items):
            audit.record(
                actor=actor,
                action="case.attachment_unreadable_confirmed",
                obj=case,
                details={"attachment": attachments_text.attachment_pk(field)},
            )


def attachment_passage(case: Case, field: str) -> attachments_text.Passage:
    """An attachment page with findings, shown like a text field (a label and its text); a file
    that could not be read is shown by its name and the words that say so."""
    if (
        pk := attachments_text.attachment_pk(field)
    ) is not None and field == attachments_text.unreadable_field(pk):
        a = case.attachments.filter(pk=pk).first()
        return attachments_text.unreadable_passage(a.original_name if a else field)
    where, text = _attachment_pages(case).get(field, (field, ""))
    return attachments_text.Passage(label=where, value=text)


def _validate_complete(case: Case) -> None:
    errors = {}
    if not case.question.strip():
        errors["question"] = _("Write the question for the panel.")
    if not case.difficulty.strip():
        errors["difficulty"] = _("Describe what is difficult.")
    if not case.disciplines:
        errors["disciplines"] = _("Choose at least one discipline.")
    if not case.consent:
        errors["consent"] = _("State whether consent for sharing with the panel was obtained.")
    if case.consent == Case.Consent.NONE and not case.consent_reason.strip():
        errors["consent_reason"] = _("Give the reason consent was not obtained.")
    if errors:
        raise ValidationError(errors)


def confirmation_hash(field: str, finding: pii.Finding) -> str:
    """What a kept passage is stored as: the one keyed ``pii.finding_key`` (field, kind and text
    under a key derived from SECRET_KEY), so phone numbers and birthdates (a small space) cannot be
    recovered by hashing every candidate, and the same key as every other app's confirmations."""
    return finding_key(field, finding)


def case_submit(*, actor, case: Case, confirmed: set[str] | frozenset[str] = frozenset()) -> Case:
    """Submit after the personal-data guard: every finding must be edited away or confirmed by the
    submitter; confirmations are recorded (field, kind, place and a hash, never the text)."""
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.is_case_owner(actor, locked):
            raise PermissionDenied
        _validate_complete(locked)
        findings = guard_findings(locked)
        open_findings = {
            field: [f for f in items if finding_key(field, f) not in confirmed]
            for field, items in findings.items()
        }
        open_findings = {k: v for k, v in open_findings.items() if v}
        if open_findings:
            raise PersonalDataFound(open_findings)
        for field, items in findings.items():
            for f in items:
                PersonalDataConfirmation.objects.create(
                    case=locked,
                    field=field,
                    kind=f.kind,
                    start=f.start,
                    end=f.end,
                    text_hash=confirmation_hash(field, f),
                    confirmed_by=actor,
                )
        _audit_unreadable_confirmations(actor, locked, findings)
        resubmission = locked.status == S.RETURNED
        _move(locked, S.SUBMITTED, actor, comment=_("Resubmitted") if resubmission else "")
        locked.submitted_at = timezone.now()
        locked.save()
        _notify(
            _coordinators(),
            title=_("Case %(ref)s was submitted by %(org)s")
            % {"ref": locked.reference, "org": locked.organization},
            url=_case_url(locked),
        )
    return locked


def case_save_and_submit(
    *,
    actor,
    organization: Organization,
    case: Case | None,
    data: dict,
    based_on_version: int | None = None,
    uploads_=(),
    confirmed: set[str] | frozenset[str] = frozenset(),
) -> Case:
    """確認して提出する: the guard reads what was typed (and the files) **before** anything is
    written. While a finding is open nothing is stored — the text stays in the writer's form — and
    ``PersonalDataFound`` is raised; once each finding is removed or confirmed the case is saved and
    submitted in one transaction, so the secretariat never holds a text the writer had not checked."""
    checked = [(u, uploads.validate_upload(u, allowed=IMAGES_AND_PDF)) for u in uploads_]
    current = {name: getattr(case, name) if case is not None else "" for name in NARRATIVE_FIELDS}
    typed = {name: str(data[name] if name in data else current[name] or "") for name in NARRATIVE_FIELDS}
    findings = pii.scan_fields(typed)
    if case is not None:
        findings |= {
            field: items
            for field, (_where, text) in _attachment_pages(case).items()
            if (items := pii.scan(text))
        }
    open_findings = {
        field: [f for f in items if finding_key(field, f) not in confirmed]
        for field, items in findings.items()
    }
    open_findings = {k: v for k, v in open_findings.items() if v}
    if open_findings:
        raise PersonalDataFound(open_findings)
    for upload, content_type in checked:
        if attachments_text.scan_upload(upload, content_type=content_type):
            raise ValidationError(
                {
                    "attachments": _(
                        "The file may contain details that identify the person. Remove them from the "
                        "file and attach it again; the case was not submitted and nothing was saved."
                    )
                }
            )
    with transaction.atomic():
        if case is None:
            case = case_create(actor=actor, organization=organization, data=data, uploads_=uploads_)
        else:
            case = case_save(
                actor=actor, case=case, data=data, based_on_version=based_on_version or 0, uploads_=uploads_
            )
        return case_submit(actor=actor, case=case, confirmed=confirmed)


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


# --- advice ------------------------------------------------------------------------------------------


def advice_save(*, actor, case: Case, content: dict, based_on_version: int) -> AdviceRecord:
    """Edit the advice record: each save is a revision; a stale edit is refused."""
    allowed = permissions.advice_fields_for(actor, case)
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        locked_case = _locked(case)
        if locked_case.status not in (S.SCHEDULED, S.REVIEWED, S.ADHOC):
            raise ValidationError(
                _("The advice can be written once the case is on a meeting or with an expert.")
            )
        advice = AdviceRecord.objects.select_for_update().filter(case=locked_case).first()
        if advice is None:
            if based_on_version != 0:
                raise StaleEdit(current=None)
            advice = AdviceRecord(case=locked_case, updated_by=actor, version=0)
        elif advice.version != based_on_version:
            raise StaleEdit(current=advice)
        if advice.issued_at:
            raise ValidationError(_("The advice has been issued."))
        changed = [f for f in allowed if f in content and getattr(advice, f) != content[f]]
        if not changed:
            raise ValidationError(
                _("Nothing was entered or changed, so nothing was saved. Write in your part of the record.")
            )
        for f in changed:
            setattr(advice, f, content[f])
        advice.version += 1
        advice.updated_by = actor
        advice.save()
        AdviceRevision.objects.create(
            advice=advice,
            number=advice.version,
            author=actor,
            content={f: getattr(advice, f) for f in AdviceRecord.CONTENT_FIELDS},
        )
        audit.record(actor=actor, action="advice.save", obj=locked_case, details={"fields": changed})
    return advice


def advice_issue(*, actor, case: Case) -> AdviceRecord:
    """Issue the advice: the municipality is told, the experts' access to the case ends, and the
    follow-up report falls due after CASE_FOLLOW_UP_MONTHS."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _locked(case)
        advice = AdviceRecord.objects.select_for_update().filter(case=locked).first()
        if advice is None or not advice.summary.strip():
            raise ValidationError(_("Write the summary of the advice before issuing it."))
        _move(locked, S.ADVISED, actor)
        advice.issued_at = timezone.now()
        advice.issued_by = actor
        advice.save(update_fields=["issued_at", "issued_by"])
        locked.report_due = timezone.localdate() + relativedelta(months=settings.CASE_FOLLOW_UP_MONTHS)
        locked.save()
        authors = {r.author_id for r in advice.revisions.all()}
        experts = [u for u in _grantees(locked) if expert_profile(u) is not None]
        experts += [
            u for u in _user_model().objects.filter(pk__in=authors, expert__isnull=False) if u not in experts
        ]
        _revoke_all_grants(locked)
        for expert in experts:
            outbox.notify(
                user=expert,
                title=_("The advice for case %(ref)s was issued; you can still read it and its PDF")
                % {"ref": locked.reference},
                url=_case_url(locked),
            )
        for user in _members(locked.organization):
            outbox.queue_templated_email(
                to=user.email,
                recipient=user,
                template="casereviews/email/advice_issued",
                context={
                    "case": locked,
                    "url": _case_url(locked),
                    "report_due": wareki(locked.report_due, weekday=True),
                },
            )
            outbox.notify(
                user=user,
                title=_("Advice issued for case %(ref)s") % {"ref": locked.reference},
                url=_case_url(locked),
                email=False,
            )
    return advice


def _revoke_all_grants(case: Case) -> None:
    for user in _grantees(case):
        remove_perm(permissions.READ_CASE, user, case)
        audit.record(actor=None, action="case.revoke", obj=case, details={"user": user.pk})


# --- grants and conflicts of interest ---------------------------------------------------------------


def _conflict_message(expert, conflict: ConflictOfInterest) -> str:
    return _(
        "%(name)s has a conflict of interest with this case or its municipality, so the case cannot "
        "be given to them. Reason: %(reason)s"
    ) % {"name": expert.get_full_name(), "reason": conflict.reason}


def _refuse_conflicts(experts, cases) -> None:
    """Refuse, before anything is written, a grant path that would give a case to an expert with
    a conflict of interest: the coordinator is told who and why."""
    problems = []
    for expert in experts:
        for case in cases:
            conflict = permissions.conflict_with(expert, case)
            if conflict is not None:
                problems.append(_conflict_message(expert, conflict))
                break
    if problems:
        raise ValidationError(problems)


def _grant(actor, expert, case: Case) -> None:
    """The one way an expert is given a case: never past a conflict of interest, always audited."""
    _refuse_conflicts([expert], [case])
    assign_perm(permissions.READ_CASE, expert, case)
    audit.record(actor=actor, action="case.grant", obj=case, details={"user": expert.pk})


def conflict_declare(
    *, actor, expert, reason: str, organization: Organization | None = None, case: Case | None = None
) -> ConflictOfInterest:
    """An expert declares (or a coordinator records) a conflict of interest with a municipality or
    with one case. The expert's grants on the cases concerned end at once; the secretariat is told
    when the expert declared it, so they can find another expert."""
    if not (is_coordinator(actor) or (actor.pk == expert.pk and expert_profile(actor) is not None)):
        raise PermissionDenied
    if expert_profile(expert) is None:
        raise ValidationError({"expert": _("Choose an active expert.")})
    if (organization is None) == (case is None):
        raise ValidationError(_("Choose either a municipality or a case, not both."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    with transaction.atomic():
        own_about_municipality = organization is not None and not is_coordinator(actor)
        conflict = ConflictOfInterest.objects.create(
            expert=expert,
            organization=organization,
            case=case,
            reason=reason,
            declared_by=actor,
            confirmed_at=None if own_about_municipality else timezone.now(),
            confirmed_by=None if own_about_municipality else actor,
        )
        audit.record(
            actor=actor,
            action="conflict.declare",
            obj=conflict,
            organization=organization or (case.organization if case else None),
            details={
                "expert": expert.pk,
                "organization": organization.pk if organization else None,
                "case": case.pk if case else None,
            },
        )
        concerned = (
            Case.objects.filter(pk=case.pk) if case else Case.objects.filter(organization=organization)
        )
        if own_about_municipality:  # blind cases wait for the confirmation (see conflicted_rule)
            concerned = concerned.filter(blind_review=False)
        _revoke_for_conflict(actor, expert, concerned, conflict)
        if actor.pk == expert.pk:
            _notify(
                _coordinators(),
                title=_("%(name)s declared a conflict of interest") % {"name": expert.get_full_name()},
                url=reverse("casereviews:conflict_list"),
            )
    return conflict


def _revoke_for_conflict(actor, expert, concerned, conflict: ConflictOfInterest) -> None:
    granted = concerned.filter(
        caseuserobjectpermission__user=expert,
        caseuserobjectpermission__permission__codename="read_case",
    ).distinct()
    for held in list(granted):
        remove_perm(permissions.READ_CASE, expert, held)
        audit.record(
            actor=actor,
            action="case.revoke",
            obj=held,
            details={"user": expert.pk, "cause": "conflict", "conflict": conflict.pk},
        )


def conflict_confirm(*, actor, conflict: ConflictOfInterest) -> ConflictOfInterest:
    """A coordinator confirms an expert's own declaration about a municipality: from now on it
    bars the municipality's blind cases too, and the expert's grants on them end."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
        if not locked.awaits_confirmation:
            raise ValidationError(_("This conflict of interest needs no confirmation."))
        locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
        locked.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            actor=actor,
            action="conflict.confirm",
            obj=locked,
            organization=locked.organization,
            details={"expert": locked.expert_id},
        )
        _revoke_for_conflict(
            actor, locked.expert, Case.objects.filter(organization=locked.organization), locked
        )
    return locked


def conflict_end(*, actor, conflict: ConflictOfInterest) -> ConflictOfInterest:
    """End a conflict (the row stays as history). Access is not given back by itself: the
    secretariat assigns the expert again where it is wanted."""
    with transaction.atomic():
        locked = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
        if not permissions.can_end_conflict(actor, locked):
            if locked.ended_at is not None:
                raise ValidationError(_("This conflict of interest has already ended."))
            raise PermissionDenied
        locked.ended_at, locked.ended_by = timezone.now(), actor
        locked.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            actor=actor,
            action="conflict.end",
            obj=locked,
            organization=locked.organization,
            details={"expert": locked.expert_id},
        )
    return locked


def blind_review_default_set(*, actor, organization: Organization, blind: bool) -> BlindReviewDefault:
    """A municipality's administrator chooses whether its new cases start under blind review."""
    if not permissions.can_set_blind_default(actor, organization):
        raise PermissionDenied
    with transaction.atomic():
        setting, _created = BlindReviewDefault.objects.update_or_create(
            organization=organization, defaults={"blind": bool(blind), "updated_by": actor}
        )
        audit.record(
            actor=actor,
            action="case.blind_default",
            organization=organization,
            details={"blind": bool(blind)},
        )
    return setting


def _user_model():
    from portal.accounts.models import User

    return User


def _grantees(case: Case) -> list:
    """The people holding a per-person read grant on this case."""
    from portal.accounts.models import User

    user_ids = case.caseuserobjectpermission_set.filter(permission__codename="read_case").values("user_id")
    return list(User.objects.filter(pk__in=user_ids))


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


# --- meetings ----------------------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[min(nth, len(days)) - 1]


def meeting_dates(
    fiscal_year: int, *, months=(5, 7, 9, 11, 1, 3), weekday: int = 3, nth: int = 2
) -> list[dt.date]:
    """The nth weekday of every other month; moved to the next business day when it falls on a
    holiday (jpholiday) or the year-end closure."""
    dates = []
    for month in months:
        year = fiscal_year if month >= 4 else fiscal_year + 1
        day = _nth_weekday(year, month, weekday, nth)
        if not is_business_day(day):
            day = add_business_days(day, 1)
        dates.append(day)
    return dates


def meetings_generate(
    *,
    actor,
    fiscal_year: int,
    start_time: dt.time = dt.time(14, 0),
    venue: str = "",
    online_url: str = "",
    capacity: int = 3,
    slot_minutes: int = 40,
    weekday: int = 3,
    nth: int = 2,
) -> list[Meeting]:
    _require_coordinator(actor)
    created = []
    with transaction.atomic():
        number = Meeting.objects.filter(fiscal_year=fiscal_year).aggregate(n=Max("number"))["n"] or 0
        existing_days = {
            timezone.localtime(m.starts_at).date() for m in Meeting.objects.filter(fiscal_year=fiscal_year)
        }
        for day in meeting_dates(fiscal_year, weekday=weekday, nth=nth):
            if day in existing_days:
                continue
            number += 1
            meeting = Meeting.objects.create(
                fiscal_year=fiscal_year,
                number=number,
                venue=venue,
                online_url=online_url,
                capacity=capacity,
                slot_minutes=slot_minutes,
                starts_at=timezone.make_aware(dt.datetime.combine(day, start_time)),
            )
            audit.record(actor=actor, action="meeting.create", obj=meeting)
            created.append(meeting)
    return created


def meeting_update(
    *,
    actor,
    meeting: Meeting,
    based_on_version: int,
    starts_at,
    venue: str,
    online_url: str,
    capacity: int,
    panel,
) -> Meeting:
    _require_coordinator(actor)
    if not is_business_day(timezone.localtime(starts_at).date()):
        raise ValidationError(
            _("Meetings are not held on weekends, Japanese holidays or during the year-end closure.")
        )
    for expert in panel:
        profile = expert_profile(expert)
        if profile is None or not profile.panel_discipline:
            raise ValidationError(_("%(name)s is not on the case-review panel.") % {"name": expert})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        booked = Case.objects.filter(meeting=locked).count()
        old_panel = set(locked.panel.values_list("pk", flat=True))
        _refuse_conflicts(
            [u for u in panel if u.pk not in old_panel],
            list(Case.objects.filter(meeting=locked, status__in=[S.SCHEDULED, S.REVIEWED])),
        )
        if capacity < booked:
            raise ValidationError(
                _("%(n)d cases are on the agenda already; the capacity cannot be lower.") % {"n": booked}
            )
        if Case.objects.filter(meeting=locked, slot__gt=capacity).exists():
            raise ValidationError(_("A case sits in a slot beyond the new capacity; move it first."))
        time_changed = (
            locked.starts_at != starts_at or locked.venue != venue or locked.online_url != online_url
        )
        locked.starts_at, locked.venue, locked.online_url, locked.capacity = (
            starts_at,
            venue,
            online_url,
            capacity,
        )
        locked.version += 1
        if time_changed:
            locked.sequence += 1
            locked.reminders_sent = []
        locked.save()
        locked.panel.set(panel)
        new_panel = {u.pk for u in panel}
        cases = list(Case.objects.filter(meeting=locked, status__in=[S.SCHEDULED, S.REVIEWED]))
        for case in cases:
            for expert in panel:
                if expert.pk not in old_panel:
                    _grant(actor, expert, case)
            for user in _grantees(case):
                if user.pk in old_panel and user.pk not in new_panel and user.pk != case.adhoc_expert_id:
                    remove_perm(permissions.READ_CASE, user, case)
                    audit.record(actor=actor, action="case.revoke", obj=case, details={"user": user.pk})
        audit.record(actor=actor, action="meeting.update", obj=locked)
        if time_changed or old_panel != new_panel:
            _send_meeting_update(locked)
    return locked


def meeting_event(meeting: Meeting, *, for_case: Case | None = None) -> CalendarEvent:
    start, end = meeting.starts_at, meeting.ends_at
    if for_case is not None and for_case.slot:
        start = meeting.slot_start(for_case.slot)
        end = start + dt.timedelta(minutes=meeting.slot_minutes)
    where = " / ".join(x for x in (meeting.venue, meeting.online_url) if x)
    return CalendarEvent(
        uid=f"casereview-{meeting.pk}{'-' + str(for_case.pk) if for_case else ''}@hikikomori-portal",
        start=start,
        end=end,
        summary=str(meeting) + (f"（{for_case.reference}）" if for_case else ""),
        description=_("Case-review meeting of the Support Net expert panel"),
        location=where,
        url=settings.SITE_URL
        + (
            reverse("casereviews:case_detail", args=[for_case.pk])
            if for_case
            else reverse("casereviews:meeting_detail", args=[meeting.pk])
        ),
        sequence=meeting.sequence,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def _send_case_invitation(case: Case, template: str) -> None:
    meeting = case.meeting
    if meeting is None or case.slot is None:
        return
    ics = build_ics(meeting_event(meeting, for_case=case))
    for user in _members(case.organization):
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template=template,
            context={
                "case": case,
                "meeting": meeting,
                "slot_start": meeting.slot_start(case.slot),
                "day": wareki(meeting.starts_at, weekday=True),
                "url": _case_url(case),
            },
            attachments=[ics_attachment(ics, "case-review.ics")],
        )


def _send_meeting_update(meeting: Meeting) -> None:
    ics = build_ics(meeting_event(meeting))
    for user in meeting.panel.all():
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template="casereviews/email/meeting_updated",
            context={
                "meeting": meeting,
                "day": wareki(meeting.starts_at, weekday=True),
                "url": reverse("casereviews:meeting_detail", args=[meeting.pk]),
            },
            attachments=[ics_attachment(ics, "case-review.ics")],
        )
    for case in Case.objects.filter(meeting=meeting, attendance__in=["invited", "accepted"]).select_related(
        "organization"
    ):
        _send_case_invitation(case, "casereviews/email/meeting_updated_municipality")


def send_meeting_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    schedule = ((7, "d7"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    for meeting in Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__date__gte=first, starts_at__date__lte=last
    ):
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            reminder = reminders.due(
                schedule, day=timezone.localdate(locked.starts_at), today=today, sent=locked.reminders_sent
            )
            if reminder is None:
                continue
            _tag, _days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            people = list(locked.panel.all())
            for case in Case.objects.filter(meeting=locked, attendance=Case.Attendance.ACCEPTED):
                people.extend(_members(case.organization))
            title = _("Reminder: %(meeting)s on %(day)s") % {
                "meeting": locked,
                "day": wareki(locked.starts_at, weekday=True),
            }
            _notify(people, title=title, url=reverse("casereviews:meeting_detail", args=[locked.pk]))
            sent += len(people)
    return sent


# --- retention and statistics -----------------------------------------------------------------------


def purge_candidates(*, now=None):
    now = now or timezone.now()
    limit = now - relativedelta(years=settings.CASE_RETENTION_YEARS)
    # A declined case is never closed: it is due the same time after it was declined.
    due = Q(status=S.CLOSED, closed_at__lte=limit) | Q(status=S.DECLINED, updated_at__lte=limit)
    return Case.objects.filter(due, purged_at__isnull=True).order_by("updated_at")


def _case_texts(case: Case) -> list[str]:
    """Every text written about the person of a case, wherever the case keeps it: what
    ``core.purge.clear_copies`` looks for in notifications, e-mails and audit rows."""
    texts = purge.texts_of(case, [*NARRATIVE_FIELDS, "decline_reason"])
    texts += [a.original_name for a in case.attachments.all()]
    texts += list(case.panel_notes.values_list("body", flat=True))
    texts += list(case.reports.values_list("body", flat=True))
    texts += list(case.transitions.exclude(comment="").values_list("comment", flat=True))
    texts += list(
        ConflictOfInterest.objects.filter(case=case).exclude(reason="").values_list("reason", flat=True)
    )
    advice = AdviceRecord.objects.filter(case=case).first()
    if advice is not None:
        texts += purge.texts_of(advice, AdviceRecord.CONTENT_FIELDS)
        for content in AdviceRevision.objects.filter(advice=advice).values_list("content", flat=True):
            texts += [str(v) for v in (content or {}).values() if v]
    return texts


def _case_objects(case: Case) -> list:
    """The case and the rows of it that audit events name."""
    return [
        case,
        *case.attachments.all(),
        *AdviceRecord.objects.filter(case=case),
        *ConflictOfInterest.objects.filter(case=case),
    ]


def purge_case(case: Case, *, actor=None) -> PurgeRecord:
    """Remove everything written about the person in a closed (or declined) case past retention:
    the narrative, attachments, panel notes, the advice and all its revisions, follow-up reports,
    transition and triage comments, the personal-data confirmations, and every copy in notifications, e-mails
    and audit labels (``core.purge.clear_copies``). Keep the statistics (organisation,
    disciplines, route, outcome, dates) and a record of what went."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.purged_at or locked.status not in (S.CLOSED, S.DECLINED):
            raise ValidationError("not purgeable")
        texts, objects = _case_texts(locked), _case_objects(locked)
        fields = [f for f in NARRATIVE_FIELDS if getattr(locked, f)]
        for f in NARRATIVE_FIELDS:
            setattr(locked, f, "")
        locked.decline_reason = ""
        locked.age = None
        attachments = list(locked.attachments.all())
        for a in attachments:
            a.file.delete(save=False)
        locked.attachments.all().delete()
        notes = locked.panel_notes.count()
        locked.panel_notes.all().delete()
        reports = locked.reports.count()
        locked.reports.update(body="")
        advice = AdviceRecord.objects.filter(case=locked).first()
        if advice is not None:
            AdviceRecord.objects.filter(pk=advice.pk).update(**dict.fromkeys(AdviceRecord.CONTENT_FIELDS, ""))
            AdviceRevision.objects.filter(advice=advice).delete()
            fields.append("advice")
        locked.transitions.update(comment="")
        locked.pii_confirmations.all().delete()
        # A conflict declared on this very case may say why (who the expert knows): its reason
        # goes with the rest; the row stays, so the history of who was barred is kept.
        ConflictOfInterest.objects.filter(case=locked).update(reason="")
        purge.clear_copies(texts=texts, urls=[_case_url(locked)], objects=objects)
        locked.purged_at = timezone.now()
        locked.save()
        record = PurgeRecord.objects.create(
            case=locked,
            closed_at=locked.closed_at or locked.purged_at,
            fields=fields,
            attachments=len(attachments),
            notes=notes,
            reports=reports,
        )
        audit.record(
            actor=actor,
            action="case.purge",
            obj=locked,
            details={"fields": fields, "attachments": len(attachments)},
        )
    return record


def purge_due_cases(*, now=None) -> int:
    """The cases past retention (the ``casereviews.case`` purge kind)."""
    return purge.run_kind("casereviews.case", now=now)


# --- drafts -----------------------------------------------------------------------------------------


def draft_purge_candidates(*, now=None):
    """Drafts nobody saved for ``CASE_DRAFT_RETENTION_DAYS``: they never reached the secretariat."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.CASE_DRAFT_RETENTION_DAYS)
    return Case.objects.filter(status=S.DRAFT, updated_at__lte=limit).order_by("updated_at")


def _draft_delete(locked: Case, *, actor, action: str) -> None:
    texts, objects = _case_texts(locked), _case_objects(locked)
    for a in locked.attachments.all():
        a.file.delete(save=False)
    purge.clear_copies(texts=texts, urls=[_case_url(locked)], objects=objects)
    audit.record(actor=actor, action=action, obj=locked, organization=locked.organization)
    locked.delete()


def draft_delete(*, actor, case: Case) -> None:
    """The organisation deletes its own draft: the row, its attachments (files included) and every
    copy of its text. A submitted case is never deleted here."""
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.can_delete_draft(actor, locked):
            raise PermissionDenied
        _draft_delete(locked, actor=actor, action="case.draft_delete")


def purge_draft(case: Case, *, actor=None) -> None:
    """An abandoned draft past ``CASE_DRAFT_RETENTION_DAYS`` (the ``casereviews.draft`` kind)."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != S.DRAFT:
            return
        _draft_delete(locked, actor=actor, action="case.draft_purge")
