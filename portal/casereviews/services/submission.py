"""Drafting and submitting a case: the fields, the attachments and the personal-data guard."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.core import attachments_text, audit, pii, uploads
from portal.core.dates import fiscal_year_of
from portal.core.exceptions import StaleEdit

from .. import permissions, selectors
from ..models import NARRATIVE_FIELDS, Case, CaseAttachment, PersonalDataConfirmation
from ._common import (
    CASE_ATTACHMENT_TYPES,
    IMAGES_AND_PDF,
    PersonalDataFound,
    S,
    _case_url,
    _coordinators,
    _locked,
    _move,
    _notify,
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
        # the stored files' findings, an image or scan that cannot be read included: every finding is
        # offered at once, never one round after another
        texts = _attachment_texts(case)
        findings |= {
            field: items
            for field, (_where, text) in _attachment_pages(case, texts).items()
            if (items := pii.scan(text))
        }
        findings |= _unreadable_attachment_findings(texts)
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
