"""Every write of the network-building programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator, membership_in, require_coordinator
from portal.accounts.selectors import active_members, coordinators
from portal.core import audit, outbox, reminders, uploads
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import fiscal_year_label, wareki
from portal.core.exceptions import StaleEdit
from portal.windows import selectors as windows_selectors

from .models import (
    ExchangeSession,
    FollowUpAction,
    HearingSheet,
    HearingSheetComment,
    HearingSheetFile,
    HearingSheetRevision,
    Participation,
    Programme,
    Question,
    Section,
)
from .questions import DEFAULT_SECTIONS
from .selectors import questions_snapshot

__all__ = ["StaleEdit", "QuestionsFrozen", "MissingAnswers"]


class QuestionsFrozen(Exception):
    """A sheet of this year has been submitted: its questions can no longer change."""


class MissingAnswers(Exception):
    def __init__(self, keys: list[str]):
        super().__init__(", ".join(keys))
        self.keys = keys


_require_coordinator = require_coordinator
_members = active_members
_coordinators = coordinators


_notify_all = outbox.notify_all


# --- programme and questions -------------------------------------------------------------------


def programme_open(
    *, actor, fiscal_year: int, hearing_deadline: dt.date, target_count: int = 10, accepts_applications=True
) -> Programme:
    """Open a fiscal year. Its questions are copied from the previous year (so answers can be
    compared year on year), or taken from the default set for the first year."""
    _require_coordinator(actor)
    with transaction.atomic():
        if Programme.objects.filter(fiscal_year=fiscal_year).exists():
            raise ValidationError(_("The programme for this fiscal year exists already."))
        programme = Programme.objects.create(
            fiscal_year=fiscal_year,
            hearing_deadline=hearing_deadline,
            target_count=target_count,
            accepts_applications=accepts_applications,
            created_by=actor,
        )
        previous = Programme.objects.filter(fiscal_year__lt=fiscal_year).order_by("-fiscal_year").first()
        if previous is not None and previous.sections.exists():
            _copy_questions(previous, programme)
        else:
            _create_default_questions(programme)
        audit.record(actor=actor, action="programme.open", obj=programme)
    return programme


def _create_default_questions(programme: Programme) -> None:
    for s_order, spec in enumerate(DEFAULT_SECTIONS, start=1):
        section = Section.objects.create(
            programme=programme, order=s_order, title=spec["title"], description=spec["description"]
        )
        for q_order, q in enumerate(spec["questions"], start=1):
            Question.objects.create(
                programme=programme,
                section=section,
                order=q_order,
                key=q["key"],
                label=q["label"],
                help_text=q.get("help_text", ""),
                kind=q["kind"],
                required=q.get("required", False),
                choices=q.get("choices", []),
                prefill=q.get("prefill", ""),
            )


def _copy_questions(source: Programme, target: Programme) -> None:
    for section in source.sections.prefetch_related("questions"):
        new_section = Section.objects.create(
            programme=target, order=section.order, title=section.title, description=section.description
        )
        for q in section.questions.all():
            Question.objects.create(
                programme=target,
                section=new_section,
                order=q.order,
                key=q.key,
                label=q.label,
                help_text=q.help_text,
                kind=q.kind,
                required=q.required,
                choices=q.choices,
                prefill=q.prefill,
            )


def programme_update(
    *,
    actor,
    programme: Programme,
    based_on_version: int,
    hearing_deadline,
    target_count,
    accepts_applications,
) -> Programme:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        changed = [
            f
            for f, v in (
                ("hearing_deadline", hearing_deadline),
                ("target_count", target_count),
                ("accepts_applications", accepts_applications),
            )
            if getattr(locked, f) != v
        ]
        locked.hearing_deadline = hearing_deadline
        locked.target_count = target_count
        locked.accepts_applications = accepts_applications
        locked.version += 1
        if "hearing_deadline" in changed:
            # A new deadline gets its own reminders.
            locked.sheets.update(reminders_sent=[])
        locked.save()
        audit.record(actor=actor, action="programme.update", obj=locked, details={"fields": changed})
    return locked


def _ensure_not_frozen(programme: Programme) -> None:
    if Programme.objects.filter(pk=programme.pk, questions_frozen_at__isnull=False).exists():
        raise QuestionsFrozen


def section_save(
    *, actor, programme: Programme, section: Section | None, title: str, description: str, order: int
) -> Section:
    _require_coordinator(actor)
    with transaction.atomic():
        _ensure_not_frozen(programme)
        if section is None:
            section = Section(programme=programme)
        section.title, section.description, section.order = title, description, order
        section.save()
        audit.record(actor=actor, action="question_section.save", obj=section)
    return section


def question_save(*, actor, programme: Programme, question: Question | None, **fields) -> Question:
    _require_coordinator(actor)
    with transaction.atomic():
        _ensure_not_frozen(programme)
        if question is None:
            question = Question(programme=programme)
        for name, value in fields.items():
            setattr(question, name, value)
        if question.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            question.choices = []
        elif not question.choices:
            raise ValidationError(_("A choice question needs at least one choice."))
        if question.section.programme_id != programme.pk:
            raise ValidationError(_("The section belongs to another year."))
        question.save()
        audit.record(actor=actor, action="question.save", obj=question)
    return question


def question_delete(*, actor, question: Question) -> None:
    _require_coordinator(actor)
    with transaction.atomic():
        _ensure_not_frozen(question.programme)
        audit.record(actor=actor, action="question.delete", obj=question)
        question.delete()


# --- participation -----------------------------------------------------------------------------


def _sheet_for(programme: Programme, organization: Organization) -> HearingSheet:
    sheet, created = HearingSheet.objects.get_or_create(programme=programme, organization=organization)
    if created:
        sheet.answers = prefill_answers(programme, organization)
        sheet.save(update_fields=["answers"])
    return sheet


def participation_add(*, actor, programme: Programme, organizations) -> list[Participation]:
    """The coordinator picks municipalities: each takes part at once and is asked for its sheet."""
    _require_coordinator(actor)
    added = []
    with transaction.atomic():
        for org in organizations:
            if org.kind != Organization.Kind.MUNICIPALITY:
                raise ValidationError(_("Only municipalities take part in this programme."))
            participation, created = Participation.objects.get_or_create(
                programme=programme, organization=org, defaults={"status": Participation.Status.ACCEPTED}
            )
            if not created and participation.status == Participation.Status.ACCEPTED:
                continue
            participation.status = Participation.Status.ACCEPTED
            participation.decided_at = timezone.now()
            participation.save()
            _start(actor, participation)
            added.append(participation)
    return added


def _start(actor, participation: Participation) -> HearingSheet:
    sheet = _sheet_for(participation.programme, participation.organization)
    audit.record(actor=actor, action="participation.accept", obj=participation)
    programme = participation.programme
    for user in _members(participation.organization):
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template="municipalities/email/invitation",
            context={
                "programme": programme,
                "sheet": sheet,
                "deadline": wareki(programme.hearing_deadline, weekday=True),
                "url": reverse("municipalities:sheet_edit", args=[sheet.pk]),
            },
        )
        outbox.notify(
            user=user,
            title=_("%(year)s hearing sheet: please fill it in")
            % {"year": fiscal_year_label(programme.fiscal_year)},
            url=reverse("municipalities:sheet_edit", args=[sheet.pk]),
            email=False,
        )
    return sheet


def participation_apply(
    *, actor, programme: Programme, organization: Organization, message: str = ""
) -> Participation:
    """A municipality asks to take part."""
    if membership_in(actor, organization.pk) is None or organization.kind != Organization.Kind.MUNICIPALITY:
        raise PermissionDenied
    if not programme.accepts_applications:
        raise ValidationError(_("This programme does not accept applications."))
    with transaction.atomic():
        participation, created = Participation.objects.get_or_create(
            programme=programme,
            organization=organization,
            defaults={"status": Participation.Status.APPLIED, "requested_by": actor, "message": message},
        )
        if not created:
            raise ValidationError(_("Your municipality has already applied or takes part."))
        audit.record(actor=actor, action="participation.apply", obj=participation)
        _notify_all(
            _coordinators(),
            title=_("%(org)s applied for the %(year)s network-building programme")
            % {"org": organization, "year": programme.label},
            body=message,
            url=reverse("municipalities:programme_detail", args=[programme.pk]),
        )
    return participation


def participation_decide(*, actor, participation: Participation, accept: bool) -> Participation:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = (
            Participation.objects.select_for_update()
            .select_related("programme", "organization")
            .get(pk=participation.pk)
        )
        if locked.status != Participation.Status.APPLIED:
            raise ValidationError(_("This application has been decided already."))
        locked.status = Participation.Status.ACCEPTED if accept else Participation.Status.DECLINED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        if accept:
            _start(actor, locked)
        else:
            audit.record(actor=actor, action="participation.decline", obj=locked)
            _notify_all(
                _members(locked.organization),
                title=_("About your application for the %(year)s network-building programme")
                % {"year": locked.programme.label},
                body=_(
                    "This year the programme could not include your municipality. "
                    "The secretariat will contact you."
                ),
            )
    return locked


# --- hearing sheets ----------------------------------------------------------------------------


def prefill_answers(programme: Programme, organization: Organization) -> dict:
    answers = {}
    text = windows_as_text(organization)
    for q in programme.questions.filter(prefill=Question.Prefill.WINDOWS):
        if text:
            answers[q.key] = text
    return answers


def windows_as_text(organization: Organization) -> str:
    lines = []
    for w in windows_selectors.active_windows_of(organization):
        parts = [w.name]
        if w.department:
            parts.append(w.department)
        parts.append(f"電話 {w.phone}")
        if w.hours:
            parts.append(w.hours)
        if w.email:
            parts.append(w.email)
        if w.accepts_home_visit:
            parts.append("訪問相談の受付あり")
        lines.append("・" + " ／ ".join(parts))
    return "\n".join(lines)


def sheet_save(
    *,
    actor,
    sheet: HearingSheet,
    answers: dict,
    based_on_version: int,
    uploads_: list | None = None,
    keep: Iterable[str] = (),
) -> HearingSheet:
    """Save a draft (and any uploaded files) in one step. A stale save, made against a version
    someone else has saved over since the form was loaded, is refused: nothing is written.
    ``keep``: questions whose stored answer stays as it is (an autosave of a form with a field not
    yet valid saves the rest and leaves that answer alone)."""
    checked = [(key, upload, uploads.validate_upload(upload)) for key, upload in (uploads_ or [])]
    with transaction.atomic():
        locked = HearingSheet.objects.select_for_update().select_related("programme").get(pk=sheet.pk)
        if membership_in(actor, locked.organization_id) is None:
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("The sheet has been submitted and can no longer be changed."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        file_keys = set(
            locked.programme.questions.filter(kind=Question.Kind.FILE).values_list("key", flat=True)
        )
        merged = {k: v for k, v in answers.items() if k not in file_keys}
        merged.update({k: v for k, v in locked.answers.items() if k in file_keys})
        for key in set(keep) - file_keys:
            merged.pop(key, None)
            if key in locked.answers:
                merged[key] = locked.answers[key]
        for key, upload, content_type in checked:
            if key not in file_keys:
                raise ValidationError(_("Unknown question."))
            attached = _store_file(actor, locked, key, upload, content_type)
            merged[key] = [*(merged.get(key) or []), attached.pk]
        changed = sorted(
            k for k in set(merged) | set(locked.answers) if merged.get(k) != locked.answers.get(k)
        )
        locked.answers = merged
        locked.version += 1
        locked.updated_by = actor
        locked.save(update_fields=["answers", "version", "updated_by", "updated_at"])
        audit.record(actor=actor, action="hearing_sheet.save", obj=locked, details={"changed": changed})
    return locked


def _store_file(actor, sheet: HearingSheet, key: str, upload, content_type: str) -> HearingSheetFile:
    attached = HearingSheetFile(
        sheet=sheet, question_key=key, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    attached.stored_name = uploads.store(attached.file, upload, content_type)
    attached.original_name = uploads.original_name(upload, attached.stored_name)
    attached.save()
    return attached


def missing_required(programme: Programme, answers: dict) -> list[str]:
    return [
        q.key for q in programme.questions.filter(required=True) if answers.get(q.key) in (None, "", [], {})
    ]


def sheet_save_for_submission(
    *, actor, sheet: HearingSheet, answers: dict, based_on_version: int, uploads_: list | None = None
) -> HearingSheet:
    """The first step of submitting: save the draft and check it is complete (MissingAnswers says
    what is not). Nothing is frozen yet; the person confirms on the next page."""
    saved = sheet_save(
        actor=actor, sheet=sheet, answers=answers, based_on_version=based_on_version, uploads_=uploads_
    )
    missing = missing_required(saved.programme, saved.answers)
    if missing:
        raise MissingAnswers(missing)
    return saved


def sheet_submit(
    *, actor, sheet: HearingSheet, answers: dict, based_on_version: int, uploads_: list | None = None
) -> HearingSheet:
    """Save, then submit: the answers and the questions they answered are kept as a revision; the
    year's questions freeze; coordinators are told. When required answers are missing, the draft
    is saved all the same and MissingAnswers says which."""
    saved = sheet_save(
        actor=actor, sheet=sheet, answers=answers, based_on_version=based_on_version, uploads_=uploads_
    )
    missing = missing_required(saved.programme, saved.answers)
    if missing:
        raise MissingAnswers(missing)
    with transaction.atomic():
        locked = (
            HearingSheet.objects.select_for_update()
            .select_related("programme", "organization")
            .get(pk=saved.pk)
        )
        if locked.version != saved.version:
            raise StaleEdit(current=locked)
        number = (locked.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        HearingSheetRevision.objects.create(
            sheet=locked,
            number=number,
            answers=locked.answers,
            questions=questions_snapshot(locked.programme),
            submitted_by=actor,
        )
        locked.status = HearingSheet.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["status", "submitted_at", "version", "updated_at"])
        Programme.objects.filter(pk=locked.programme_id, questions_frozen_at__isnull=True).update(
            questions_frozen_at=timezone.now()
        )
        audit.record(actor=actor, action="hearing_sheet.submit", obj=locked, details={"revision": number})
        url = reverse("municipalities:sheet_detail", args=[locked.pk])
        _notify_all(
            _coordinators(),
            title=_("%(org)s submitted its hearing sheet (%(year)s)")
            % {"org": locked.organization, "year": locked.programme.label},
            url=url,
        )
        _notify_all(
            _members(locked.organization),
            title=_("The hearing sheet was submitted (%(year)s)") % {"year": locked.programme.label},
            body=_("Thank you. The secretariat will contact you about the online exchange."),
            url=url,
        )
    return locked


def sheet_return(*, actor, sheet: HearingSheet, comment: str) -> HearingSheet:
    _require_coordinator(actor)
    if not comment.strip():
        raise ValidationError(_("Please write what should be changed."))
    with transaction.atomic():
        locked = (
            HearingSheet.objects.select_for_update()
            .select_related("organization", "programme")
            .get(pk=sheet.pk)
        )
        if locked.status != HearingSheet.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted sheet can be returned."))
        locked.status = HearingSheet.Status.RETURNED
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        HearingSheetComment.objects.create(
            sheet=locked, kind=HearingSheetComment.Kind.RETURN, author=actor, body=comment.strip()
        )
        audit.record(actor=actor, action="hearing_sheet.return", obj=locked)
        for user in _members(locked.organization):
            outbox.queue_templated_email(
                to=user.email,
                recipient=user,
                template="municipalities/email/returned",
                context={
                    "sheet": locked,
                    "comment": comment.strip(),
                    "url": reverse("municipalities:sheet_edit", args=[locked.pk]),
                },
            )
            outbox.notify(
                user=user,
                title=_("The hearing sheet was returned for changes (%(year)s)")
                % {"year": locked.programme.label},
                body=comment.strip(),
                url=reverse("municipalities:sheet_edit", args=[locked.pk]),
                email=False,
            )
    return locked


def sheet_add_note(*, actor, sheet: HearingSheet, body: str) -> HearingSheetComment:
    _require_coordinator(actor)
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    with transaction.atomic():
        note = HearingSheetComment.objects.create(
            sheet=sheet, kind=HearingSheetComment.Kind.NOTE, author=actor, body=body.strip()
        )
        audit.record(actor=actor, action="hearing_sheet.note", obj=sheet)
    return note


def sheet_detach(*, actor, attached: HearingSheetFile) -> None:
    with transaction.atomic():
        locked = HearingSheet.objects.select_for_update().get(pk=attached.sheet_id)
        if membership_in(actor, locked.organization_id) is None:
            raise PermissionDenied
        if not locked.is_editable:
            raise ValidationError(_("The sheet has been submitted and can no longer be changed."))
        ids = [i for i in (locked.answers.get(attached.question_key) or []) if i != attached.pk]
        locked.answers = {**locked.answers, attached.question_key: ids}
        locked.version += 1
        locked.save(update_fields=["answers", "version", "updated_at"])
        audit.record(
            actor=actor,
            action="hearing_sheet.detach",
            obj=locked,
            details={"question": attached.question_key},
        )
        # Files stay referenced by earlier revisions; only unreferenced ones are removed.
        if not any(
            attached.pk in (r.answers.get(attached.question_key) or []) for r in locked.revisions.all()
        ):
            attached.file.delete(save=False)
            attached.delete()


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """7 days and 1 day before the deadline, municipalities whose sheet is not in are reminded."""
    today = today or timezone.localdate()
    sent = 0
    schedule = ((7, "d7"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    sheets = HearingSheet.objects.filter(
        programme__hearing_deadline__gte=first,
        programme__hearing_deadline__lte=last,
        status__in=[HearingSheet.Status.DRAFT, HearingSheet.Status.RETURNED],
    ).select_related("programme", "organization")
    for sheet in sheets:
        deadline = sheet.programme.hearing_deadline
        with transaction.atomic():
            locked = HearingSheet.objects.select_for_update().get(pk=sheet.pk)
            reminder = reminders.due(schedule, day=deadline, today=today, sent=locked.reminders_sent)
            if reminder is None:
                continue
            _tag, days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            for user in _members(sheet.organization):
                outbox.queue_templated_email(
                    to=user.email,
                    recipient=user,
                    template="municipalities/email/deadline_reminder",
                    context={
                        "sheet": sheet,
                        "days": days,
                        "deadline": wareki(deadline, weekday=True),
                        "url": reverse("municipalities:sheet_edit", args=[sheet.pk]),
                    },
                )
                sent += 1
    return sent


# --- exchange sessions and follow-up -----------------------------------------------------------


def session_event(session: ExchangeSession) -> CalendarEvent:
    return CalendarEvent(
        uid=f"exchange-{session.pk}@hikikomori-portal",
        start=session.starts_at,
        end=session.ends_at,
        summary=f"ネットワーク構築支援事業 交流会（{session.organization}）",
        description=f"オンライン交流会\n{session.meeting_url}",
        location=session.meeting_url,
        url=settings.SITE_URL + reverse("municipalities:session_detail", args=[session.pk]),
        sequence=session.sequence,
        cancelled=session.status == ExchangeSession.Status.CANCELLED,
        attendees=[(u.email, str(u)) for u in session.participants.all()],
    )


def _send_session_mail(session: ExchangeSession, template: str) -> None:
    ics = build_ics(session_event(session))
    for user in session.participants.all():
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template=template,
            context={
                "session": session,
                "starts": wareki(session.starts_at, weekday=True),
                "url": reverse("municipalities:session_detail", args=[session.pk]),
            },
            attachments=[ics_attachment(ics, "exchange.ics")],
        )


def _check_participants(session_org: Organization, participants) -> None:
    """The same people the form offers (selectors.participant_choices): the municipality's staff and
    every member of the secretariat, its counsellors included."""
    from . import selectors

    allowed = set(selectors.participant_choices(session_org).values_list("pk", flat=True))
    for user in participants:
        if user.pk not in allowed:
            raise ValidationError(
                _("%(name)s is neither secretariat staff nor a member of the municipality.") % {"name": user}
            )


def session_schedule(
    *, actor, sheet: HearingSheet, starts_at, ends_at, meeting_url: str, participants
) -> ExchangeSession:
    _require_coordinator(actor)
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    _check_participants(sheet.organization, participants)
    with transaction.atomic():
        session = ExchangeSession.objects.create(
            programme=sheet.programme,
            organization=sheet.organization,
            sheet=sheet,
            starts_at=starts_at,
            ends_at=ends_at,
            meeting_url=meeting_url,
            created_by=actor,
        )
        session.participants.set(participants)
        audit.record(actor=actor, action="exchange.schedule", obj=session)
        _send_session_mail(session, "municipalities/email/exchange_invitation")
    return session


def session_update(
    *,
    actor,
    session: ExchangeSession,
    based_on_version: int,
    starts_at,
    ends_at,
    meeting_url: str,
    participants,
) -> ExchangeSession:
    _require_coordinator(actor)
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))
    _check_participants(session.organization, participants)
    with transaction.atomic():
        locked = ExchangeSession.objects.select_for_update().get(pk=session.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if locked.status != ExchangeSession.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled exchange can be changed."))
        locked.starts_at, locked.ends_at, locked.meeting_url = starts_at, ends_at, meeting_url
        locked.sequence += 1
        locked.version += 1
        locked.save()
        locked.participants.set(participants)
        audit.record(actor=actor, action="exchange.update", obj=locked)
        _send_session_mail(locked, "municipalities/email/exchange_updated")
    return locked


def session_cancel(*, actor, session: ExchangeSession) -> ExchangeSession:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = ExchangeSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != ExchangeSession.Status.SCHEDULED:
            raise ValidationError(_("Only a scheduled exchange can be cancelled."))
        locked.status = ExchangeSession.Status.CANCELLED
        locked.sequence += 1
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="exchange.cancel", obj=locked)
        _send_session_mail(locked, "municipalities/email/exchange_cancelled")
    return locked


def session_record(
    *, actor, session: ExchangeSession, summary: str, based_on_version: int
) -> ExchangeSession:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = ExchangeSession.objects.select_for_update().get(pk=session.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if locked.status == ExchangeSession.Status.CANCELLED:
            raise ValidationError(_("A cancelled exchange has no record."))
        locked.summary = summary
        locked.status = ExchangeSession.Status.HELD
        locked.version += 1
        locked.save(update_fields=["summary", "status", "version"])
        audit.record(actor=actor, action="exchange.record", obj=locked)
    return locked


def action_add(
    *, actor, session: ExchangeSession, description: str, owner, due_date: dt.date
) -> FollowUpAction:
    _require_coordinator(actor)
    _check_participants(session.organization, [owner])
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            session=session,
            organization=session.organization,
            description=description,
            owner=owner,
            due_date=due_date,
        )
        audit.record(actor=actor, action="follow_up.add", obj=action)
        outbox.notify(
            user=owner,
            title=_("Follow-up action for you: %(what)s (due %(due)s)")
            % {"what": description, "due": wareki(due_date, weekday=True)},
            url=reverse("municipalities:session_detail", args=[session.pk]),
        )
    return action


def action_complete(*, actor, action: FollowUpAction) -> FollowUpAction:
    if not (is_coordinator(actor) or action.owner_id == actor.pk):
        raise PermissionDenied
    with transaction.atomic():
        locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
        if locked.status == FollowUpAction.Status.DONE:
            return locked
        locked.status = FollowUpAction.Status.DONE
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        audit.record(actor=actor, action="follow_up.done", obj=locked)
    return locked


def remind_overdue_actions(*, today: dt.date | None = None) -> int:
    """Once a day, each owner of an overdue open action is reminded."""
    today = today or timezone.localdate()
    count = 0
    overdue = FollowUpAction.objects.filter(status=FollowUpAction.Status.OPEN, due_date__lt=today).exclude(
        last_reminded_on=today
    )
    for action in overdue.select_related("owner", "session"):
        with transaction.atomic():
            updated = (
                FollowUpAction.objects.filter(pk=action.pk)
                .exclude(last_reminded_on=today)
                .update(last_reminded_on=today)
            )
            if not updated:
                continue
            outbox.notify(
                user=action.owner,
                title=_("Overdue follow-up action: %(what)s (was due %(due)s)")
                % {"what": action.description, "due": wareki(action.due_date, weekday=True)},
                url=reverse("municipalities:session_detail", args=[action.session_id]),
            )
            count += 1
    return count
