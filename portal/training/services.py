"""Every write of the training programme. Seats go through the one capacity engine and its
waiting list (portal.core.waitlist); certificates are numbered under a row lock per fiscal year."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portal.accounts.permissions import is_coordinator, membership_in, require_coordinator
from portal.core import audit, calendars, http, outbox, pdf, reminders, uploads, waitlist
from portal.core import registrations as engine
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import display, wareki
from portal.core.exceptions import StaleEdit
from portal.core.models import SeatMode, SeatStatus

from .models import (
    Certificate,
    CertificateBatch,
    CertificateSerial,
    Completion,
    Course,
    ModuleProgress,
    QuizQuestion,
    Registration,
    Session,
    VideoModule,
)
from .permissions import (
    audience_organization,
    can_cancel,
    can_manage_registration,
    eligibility,
)
from .selectors import pending_completions

S = SeatStatus
M = SeatMode
DEADLINE_TIME = dt.time(17, 0)
VIDEO_TYPES = ("video/mp4", "video/webm")
MAX_VIDEO_BYTES = 500 * 1024 * 1024


def default_deadline(day: dt.date) -> dt.datetime:
    """A deadline given as a day means 17:00 that day, Tokyo time."""
    return timezone.make_aware(dt.datetime.combine(day, DEADLINE_TIME), timezone.get_default_timezone())


def _url(session: Session) -> str:
    return reverse("training:session_detail", args=[session.pk])


def session_calendar(session: Session) -> CalendarEvent:
    return CalendarEvent(
        uid=f"training-{session.pk}@hikikomori-portal",
        start=session.starts_at,
        end=session.ends_at,
        summary=str(session),
        description=session.course.description,
        location=" / ".join(x for x in (session.venue, session.online_url) if x),
        url=settings.SITE_URL + _url(session),
        sequence=session.sequence,
    )


def _places(session: Session) -> dict[str, waitlist.Place]:
    """The session's places per attendance mode (venue, online), each its own capacity resource."""
    return waitlist.places(
        session.capacity_key,
        session.starts_at,
        session.ends_at,
        venue=session.capacity,
        online=session.online_capacity,
    )


def _mail(registration: Registration, template: str, *, ics: bool = False, extra=None):
    session = registration.session
    attachments = [ics_attachment(build_ics(session_calendar(session)), "training.ics")] if ics else None
    outbox.queue_templated_email(
        to=registration.user.email,
        recipient=registration.user,
        template=f"training/email/{template}",
        attachments=attachments,
        context={
            "session": session,
            "course": session.course,
            "registration": registration,
            "day": wareki(session.starts_at, weekday=True),
            "url": _url(session),
            **(extra or {}),
        },
    )


# --- Catalogue -----------------------------------------------------------------------------------


def course_save(*, actor, course: Course | None = None, prerequisites=(), **fields) -> Course:
    require_coordinator(actor)
    with transaction.atomic():
        if course is None:
            course = Course.objects.create(**fields)
            action = "training.course_create"
        else:
            for name, value in fields.items():
                setattr(course, name, value)
            course.save()
            action = "training.course_update"
        course.prerequisites.set([p for p in prerequisites if p.pk != course.pk])
        audit.record(actor=actor, action=action, obj=course)
    return course


def catalogue_copy(*, actor, from_year: int, to_year: int) -> int:
    """Copy a year's courses (with prerequisites and video modules' links and quizzes) to another
    fiscal year; courses that exist there already are left as they are. Returns how many were new."""
    require_coordinator(actor)
    created = 0
    with transaction.atomic():
        source = list(
            Course.objects.filter(fiscal_year=from_year).prefetch_related("prerequisites", "modules")
        )
        by_code = {}
        for course in source:
            copy, new = Course.objects.get_or_create(
                fiscal_year=to_year,
                code=course.code,
                defaults={
                    f: getattr(course, f)
                    for f in ("track", "number", "title", "description", "audience", "format", "pass_mark")
                },
            )
            by_code[course.code] = copy
            if new:
                created += 1
                for module in course.modules.all():
                    questions = list(module.questions.all())
                    module.pk, module.course = None, copy
                    module.save()
                    for q in questions:
                        q.pk, q.module = None, module
                        q.save()
        for course in source:
            by_code[course.code].prerequisites.add(
                *[by_code[p.code] for p in course.prerequisites.all() if p.code in by_code]
            )
        audit.record(
            actor=actor, action="training.catalogue_copy", details={"from": from_year, "to": to_year}
        )
    return created


def session_create(*, actor, course: Course, **fields) -> Session:
    require_coordinator(actor)
    if course.is_video:
        raise ValidationError(_("Video courses have modules, not sessions."))
    fields.setdefault("audience", list(course.audience))
    fields.setdefault("opens_at", timezone.now())
    _check_times(fields)
    with transaction.atomic():
        session = Session.objects.create(course=course, created_by=actor, **fields)
        audit.record(actor=actor, action="training.session_create", obj=session)
    return session


def session_series_create(
    *, actor, course: Course, occurrences: list[dict], label: str = "", **fields
) -> list[Session]:
    """Create one session per date of a series (the same time, venue and places), all or none.
    Without a name the sessions are numbered in date order."""
    require_coordinator(actor)
    with transaction.atomic():
        sessions = [
            session_create(
                actor=actor,
                course=course,
                label=label or pgettext("training session number", "No. %(n)d") % {"n": n},
                **fields,
                **when,
            )
            for n, when in enumerate(occurrences, start=1)
        ]
    return sessions


def _check_times(fields) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise ValidationError(_("The end must be after the start."))
    if fields["registration_deadline"] > fields["starts_at"]:
        raise ValidationError(_("The deadline must be before the session."))
    if fields["opens_at"] >= fields["registration_deadline"]:
        raise ValidationError(_("Registration must open before the deadline."))


def session_update(*, actor, session: Session, based_on_version: int, **fields) -> Session:
    """Change a session; registrants get the new details with an updated ICS."""
    require_coordinator(actor)
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        merged = {k: fields.get(k, getattr(locked, k)) for k in ("starts_at", "ends_at", "opens_at")}
        merged["registration_deadline"] = fields.get("registration_deadline", locked.registration_deadline)
        _check_times(merged)
        registrations = locked.registrations.all()
        waitlist.check_capacity(registrations.filter(mode=M.VENUE), fields.get("capacity", locked.capacity))
        waitlist.check_capacity(
            registrations.filter(mode=M.ONLINE), fields.get("online_capacity", locked.online_capacity)
        )
        timing = calendars.apply_change(locked, fields)
        locked.save()
        audit.record(actor=actor, action="training.session_update", obj=locked)
        if timing:
            for registration in locked.registrations.filter(status=S.CONFIRMED).select_related("user"):
                _mail(registration, "changed", ics=True)
        engine.offer_free_seats(SEATS, locked)  # a bigger room frees seats for the waiting list
    return locked


def session_cancel(*, actor, session: Session) -> Session:
    require_coordinator(actor)
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if locked.cancelled_at:
            return locked
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["cancelled_at", "sequence"])
        audit.record(actor=actor, action="training.session_cancel", obj=locked)
        for registration in locked.registrations.exclude(status=S.CANCELLED).select_related(
            "user", "reservation"
        ):
            waitlist.give_up(registration)
            _mail(registration, "session_cancelled")
    return locked


# --- Eligibility and registration ----------------------------------------------------------------


def register(
    *, actor, session: Session, user=None, mode: str = M.VENUE, accessibility: str = "", now=None
) -> Registration:
    """Register oneself or, as organisation admin, a colleague, for the venue or online. A seat of
    that mode when one is free, that mode's waiting list otherwise. Refusals raise ValidationError
    with the reason."""
    user = user or actor
    check = eligibility(user, session, now=now)
    organization = check.organization
    if not check.ok or organization is None:
        raise ValidationError(check.reason)
    if user.pk != actor.pk and not is_coordinator(actor):
        m = membership_in(actor, organization.pk)
        if not (m and m.is_admin):
            raise PermissionDenied
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if locked.cancelled_at:
            raise ValidationError(_("This session was cancelled."))
        if not waitlist.offers_mode(locked.online_capacity, mode):
            raise waitlist.mode_refused(mode)
        if Registration.objects.filter(session=locked, user=user).exclude(status=S.CANCELLED).exists():
            raise ValidationError(_("%(name)s is registered already.") % {"name": user})
        registration = Registration(
            session=locked,
            user=user,
            organization=organization,
            registered_by=actor,
            mode=mode,
            accessibility=accessibility,
        )
        waitlist.seat(registration, _places(locked)[mode], holder=user)
        registration.save()
        audit.record(
            actor=actor,
            action=f"training.register.{registration.status}",
            obj=registration,
            organization=organization,
        )
        _mail(
            registration,
            "confirmed" if registration.status == S.CONFIRMED else "waitlisted",
            ics=registration.status == S.CONFIRMED,
        )
    return registration


def register_many(
    *, actor, session: Session, users, mode: str | None = None
) -> list[tuple[object, Registration | None, str]]:
    """An organisation admin registers several colleagues; each is decided on its own, and the
    result says who got a seat, who is waiting and who was refused (with the reason)."""
    mode = mode or waitlist.default_mode(session.capacity, session.online_capacity)
    results: list[tuple[object, Registration | None, str]] = []
    for user in users:
        try:
            results.append((user, register(actor=actor, session=session, user=user, mode=mode), ""))
        except ValidationError as exc:
            results.append((user, None, " ".join(exc.messages)))
    return results


def _seat_mail(registration: Registration, name: str, *, ics: bool = False, extra=None):
    _mail(registration, name, ics=ics, extra=extra)


SEATS = engine.Occasion(
    model=Session,
    registrations=Registration,
    field="session",
    action="training",
    offer_hours="TRAINING_OFFER_HOURS",
    places=_places,
    mail=_seat_mail,
    url=_url,
    offer_title=lambda session: _("A training seat is free for you: %(session)s") % {"session": session},
    lapsed_title=lambda r: _("The training seat offer for %(session)s expired") % {"session": r.session},
    related=("course",),
    mail_cancelled=True,
)


def _not_attended(registration: Registration) -> None:
    if registration.attendance == Registration.Attendance.PRESENT:
        raise ValidationError(_("Attendance has been recorded; this registration cannot be cancelled."))


def cancel(*, actor, registration: Registration, now=None) -> Registration:
    """The registrant (or their organisation admin) may cancel until the deadline; after it only
    the secretariat can. A freed seat is offered to the first person waiting."""
    m = membership_in(actor, registration.organization_id)
    if not (actor.pk == registration.user_id or is_coordinator(actor) or (m and m.is_admin)):
        raise PermissionDenied
    if not can_cancel(actor, registration, now=now):
        raise ValidationError(
            _("The registration deadline has passed. Please contact the secretariat to cancel.")
        )
    return engine.cancel(SEATS, actor=actor, registration=registration, check=_not_attended, now=now)


def registration_update(
    *, actor, registration: Registration, mode: str, accessibility: str, based_on_version: int, now=None
) -> Registration:
    """The registrant (or their organisation's admin) changes the attendance mode and the access
    needs until the registration deadline (``core.registrations.update``)."""
    if not can_manage_registration(actor, registration):
        raise PermissionDenied
    return engine.update(
        SEATS,
        actor=actor,
        registration=registration,
        mode=mode,
        accessibility=accessibility,
        based_on_version=based_on_version,
        coordinator=is_coordinator(actor),
        now=now,
    )


def promote_next(session: Session, *, mode: str = M.VENUE, now=None) -> Registration | None:
    """Offer a freed seat of ``mode`` to the first person waiting for that mode, for
    TRAINING_OFFER_HOURS."""
    return engine.promote_next(SEATS, session, mode=mode, now=now)


def accept_offer(*, actor, registration: Registration) -> Registration:
    return engine.accept_offer(SEATS, actor=actor, registration=registration)


def expire_offers(*, now=None) -> int:
    """Offers not accepted in time lapse; the seat goes to the next person waiting."""
    return engine.expire_offers(SEATS, now=now)


def send_reminders(*, today: dt.date | None = None) -> int:
    """7 days and 1 day before: a reminder with the calendar entry to everyone with a seat."""
    today = today or timezone.localdate()
    sent = 0
    schedule = ((7, "d7"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    for session in Session.objects.filter(
        starts_at__date__gte=first, starts_at__date__lte=last, cancelled_at__isnull=True
    ):
        with transaction.atomic():
            locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
            reminder = reminders.due(
                schedule, day=timezone.localdate(locked.starts_at), today=today, sent=locked.reminders_sent
            )
            if reminder is None:
                continue
            _tag, days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            for registration in locked.registrations.filter(status=S.CONFIRMED).select_related("user"):
                _mail(registration, "reminder", ics=True, extra={"days": days})
                sent += 1
    return sent


# --- Attendance and completion -------------------------------------------------------------------


def _complete(*, user, course: Course, organization, session=None, when=None) -> Completion:
    completion, _created = Completion.objects.get_or_create(
        course=course,
        user=user,
        defaults={"organization": organization, "session": session, "completed_at": when or timezone.now()},
    )
    return completion


def mark_attendance(*, actor, session: Session, registrations, attendance: str, now=None) -> int:
    """Mark several confirmed registrations as attended or absent, from the session's start on.
    Attending completes the course; a completion that already has a certificate is not taken back."""
    require_coordinator(actor)
    now = now or timezone.now()
    if attendance not in Registration.Attendance.values:
        raise ValidationError(_("Choose attended or absent."))
    changed = 0
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if now < locked.starts_at:
            raise ValidationError(
                _("Attendance can be recorded once the session has started, from %(when)s.")
                % {"when": display(locked.starts_at)}
            )
        rows = (
            Registration.objects.select_for_update(of=("self",))
            .filter(session=locked, pk__in=[r.pk for r in registrations], status=S.CONFIRMED)
            .select_related("user", "organization")
        )
        for registration in rows:
            if attendance != Registration.Attendance.PRESENT:
                completion = Completion.objects.filter(
                    course=locked.course, user=registration.user, session=locked
                ).first()
                if completion is not None:
                    if Certificate.objects.filter(completion=completion).exists():
                        raise ValidationError(
                            _(
                                "%(name)s already has a certificate for this course; attendance cannot be "
                                "taken back."
                            )
                            % {"name": registration.user}
                        )
                    completion.delete()
            else:
                _complete(
                    user=registration.user,
                    course=locked.course,
                    organization=registration.organization,
                    session=locked,
                    when=locked.ends_at,
                )
            registration.attendance = attendance
            registration.save(update_fields=["attendance"])
            changed += 1
        audit.record(
            actor=actor,
            action="training.attendance",
            obj=locked,
            details={"attendance": attendance or "unmarked", "count": changed},
        )
    return changed


# --- Video modules -------------------------------------------------------------------------------


def module_save(*, actor, course: Course, module: VideoModule | None = None, upload=None, **fields):
    require_coordinator(actor)
    if not course.is_video:
        raise ValidationError(_("Only video courses have modules."))
    with transaction.atomic():
        module = module or VideoModule(course=course)
        for name, value in fields.items():
            setattr(module, name, value)
        if upload is not None:
            module.video_type = uploads.validate_upload(
                upload, allowed=VIDEO_TYPES, max_bytes=MAX_VIDEO_BYTES
            )
            module.video.save(
                f"{secrets.token_hex(16)}.{module.video_type.split('/')[1]}", upload, save=False
            )
        if not (module.video or module.video_url):
            raise ValidationError(_("Upload a video or give a link to one."))
        module.save()
        audit.record(actor=actor, action="training.module_save", obj=course)
    return module


def question_add(*, actor, module: VideoModule, text: str, choices: list[str], answer: int) -> QuizQuestion:
    require_coordinator(actor)
    if len(choices) < 2 or not 0 <= answer < len(choices):
        raise ValidationError(_("Give at least two choices and mark the correct one."))
    with transaction.atomic():
        question = QuizQuestion.objects.create(
            module=module, text=text, choices=choices, answer=answer, order=module.questions.count() + 1
        )
        audit.record(actor=actor, action="training.question_add", obj=module.course)
    return question


@dataclass(frozen=True)
class QuizResult:
    score: int
    passed: bool
    wrong: list[int]  # question ids answered wrongly
    course_completed: bool


def quiz_submit(*, actor, module: VideoModule, answers: dict[int, int]) -> QuizResult:
    """Mark the confirmation quiz; passing records the module, and the last module completes the
    course."""
    course = module.course
    organization = audience_organization(actor, course.audience)
    if organization is None:
        raise PermissionDenied
    questions = list(module.questions.all())
    if not questions:
        raise ValidationError(_("This module has no quiz yet."))
    wrong = [q.pk for q in questions if answers.get(q.pk) != q.answer]
    score = round(100 * (len(questions) - len(wrong)) / len(questions))
    passed = score >= course.pass_mark
    completed = False
    with transaction.atomic():
        progress, _created = ModuleProgress.objects.select_for_update().get_or_create(
            module=module, user=actor
        )
        progress.attempts += 1
        progress.best_score = max(progress.best_score, score)
        if passed and progress.passed_at is None:
            progress.passed_at = timezone.now()
        progress.save()
        audit.record(
            actor=actor, action="training.quiz", obj=course, details={"module": module.pk, "score": score}
        )
        if passed:
            total = course.modules.count()
            done = ModuleProgress.objects.filter(
                module__course=course, user=actor, passed_at__isnull=False
            ).count()
            if done >= total and not Completion.objects.filter(course=course, user=actor).exists():
                _complete(user=actor, course=course, organization=organization)
                completed = True
    return QuizResult(score=score, passed=passed, wrong=wrong, course_completed=completed)


# --- Certificates ----------------------------------------------------------------------------------


def _next_number(fiscal_year: int) -> tuple[int, str]:
    CertificateSerial.objects.get_or_create(fiscal_year=fiscal_year)
    counter = CertificateSerial.objects.select_for_update().get(fiscal_year=fiscal_year)
    counter.last += 1
    counter.save(update_fields=["last"])
    reiwa = fiscal_year - 2018
    return counter.last, f"R{reiwa}-{counter.last:05d}"


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("training:verify", args=[certificate.token])


def _qr_data_uri(text: str) -> str:
    import io

    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_certificate(certificate: Certificate, *, session: pdf.Session | None = None) -> bytes:
    completion = certificate.completion
    attended = (
        Registration.objects.filter(session_id=completion.session_id, user_id=completion.user_id)
        .exclude(status=S.CANCELLED)
        .first()
        if completion.session_id
        else None
    )
    return pdf.render_pdf(
        "training/pdf/certificate.html",
        {
            "certificate": certificate,
            "completion": completion,
            "mode": attended.get_mode_display() if attended else "",
            "course": completion.course,
            "completed": wareki(completion.completed_at),
            "issued": wareki(certificate.issued_at),
            "qr": _qr_data_uri(verify_url(certificate)),
            "verify_url": verify_url(certificate),
        },
        session=session,
    )


def issue_certificate(
    completion: Completion, *, batch: CertificateBatch | None = None, renderer: pdf.Session | None = None
) -> Certificate:
    """Number the certificate and store its PDF; a completion has at most one certificate."""
    return _issue(completion, batch=batch, renderer=renderer)[0]


def _issue(
    completion: Completion, *, batch: CertificateBatch | None = None, renderer: pdf.Session | None = None
) -> tuple[Certificate, bool]:
    """(the certificate, whether it was issued now). The completion's row is locked, so two runs
    of a batch (a restarted one and a late redelivery) never issue one completion twice."""
    with transaction.atomic():
        Completion.objects.select_for_update().filter(pk=completion.pk).first()
        existing = Certificate.objects.filter(completion=completion).first()
        if existing is not None:
            return existing, False
        _require_ended(completion)
        serial, number = _next_number(completion.course.fiscal_year)
        certificate = Certificate(
            completion=completion,
            fiscal_year=completion.course.fiscal_year,
            serial=serial,
            number=number,
            token=secrets.token_urlsafe(24),
            issued_at=timezone.now(),
            batch=batch,
        )
        certificate.file.save(
            f"{certificate.token}.pdf",
            ContentFile(render_certificate(certificate, session=renderer)),
            save=False,
        )
        certificate.save()
        audit.record(actor=None, action="training.certificate_issue", obj=certificate)
    return certificate, True


def _not_ended(session: Session) -> ValidationError:
    return ValidationError(
        _("Certificates can be issued once the session has ended, after %(when)s.")
        % {"when": display(session.ends_at)},
        code="session_not_ended",
    )


def _require_ended(completion: Completion, now=None) -> None:
    """A certificate says the course was completed: never before the session has ended."""
    now = now or timezone.now()
    session = completion.session
    if session is not None and session.ends_at > now:
        raise _not_ended(session)
    if completion.completed_at > now:
        raise ValidationError(_("This course has not been completed yet."))


def certificate_batch_start(
    *, actor, course: Course, session: Session | None = None, now=None
) -> CertificateBatch:
    """Queue a Celery batch for every completion of the course (or session) still without a
    certificate, once its session has ended. The batch page shows its progress."""
    require_coordinator(actor)
    from . import tasks

    now = now or timezone.now()
    if session is not None and session.ends_at > now:
        raise _not_ended(session)
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            course=course,
            session=session,
            requested_by=actor,
            total=pending_completions(course, session, now=now).count(),
        )
        audit.record(
            actor=actor, action="training.certificate_batch", obj=course, details={"batch": batch.pk}
        )
        transaction.on_commit(lambda: tasks.issue_certificates.delay(batch_id=batch.pk))
    return batch


def certificate_batch_run(batch_id: int) -> CertificateBatch | None:
    """The body of the Celery task: safe to run twice (finished batches and issued certificates
    are skipped); progress and a heartbeat are written after every certificate."""
    batch = CertificateBatch.objects.select_related("course", "session").filter(pk=batch_id).first()
    if batch is None or batch.status in (CertificateBatch.Status.DONE, CertificateBatch.Status.FAILED):
        return batch
    # A restarted batch counts what its earlier run issued already.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.RUNNING,
        done=Certificate.objects.filter(batch=batch).count(),
        heartbeat_at=timezone.now(),
    )
    renderer = pdf.Session()  # fonts and stylesheet loaded once for the whole batch
    try:
        for completion in pending_completions(batch.course, batch.session):
            _certificate, issued = _issue(completion, batch=batch, renderer=renderer)
            if not issued:
                continue  # another run of this batch issued it meanwhile
            CertificateBatch.objects.filter(pk=batch.pk).update(
                done=F("done") + 1, heartbeat_at=timezone.now()
            )
            outbox.notify(
                user=completion.user,
                title=_("Your certificate for %(course)s is ready") % {"course": completion.course},
                url=reverse("training:transcript"),
                email=True,
            )
    except Exception as exc:
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=CertificateBatch.Status.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def _batch_restart(locked: CertificateBatch) -> CertificateBatch:
    """Queue a lost batch again (inside the caller's transaction, the row locked); one lost
    ``http.MAX_RESTARTS`` times stops as failed."""
    from . import tasks

    now = timezone.now()
    if locked.restarts >= http.MAX_RESTARTS:
        locked.status, locked.finished_at = CertificateBatch.Status.FAILED, now
        locked.error = _(
            "Issuing was interrupted %(n)d times and has stopped. Issue the remaining certificates again."
        ) % {"n": locked.restarts + 1}
        locked.save(update_fields=["status", "finished_at", "error"])
        audit.record(actor=None, action="training.certificate_batch_abandon", obj=locked.course)
        return locked
    locked.status = CertificateBatch.Status.QUEUED
    locked.restarts += 1
    locked.heartbeat_at = now
    locked.save(update_fields=["status", "restarts", "heartbeat_at"])
    audit.record(
        actor=None,
        action="training.certificate_batch_restart",
        obj=locked.course,
        details={"batch": locked.pk},
    )
    transaction.on_commit(lambda: tasks.issue_certificates.delay(batch_id=locked.pk))
    return locked


def restart_stale_batches(*, now=None) -> int:
    """The beat task's body: every queued or running certificate batch silent for
    ``http.STALE_AFTER`` is queued again (or given up). Returns how many were found lost."""
    count = 0
    lost = CertificateBatch.objects.filter(status__in=http.ACTIVE, heartbeat_at__lt=http.stale_before(now))
    for pk in lost.values_list("pk", flat=True):
        with transaction.atomic():
            locked = CertificateBatch.objects.select_for_update().select_related("course").get(pk=pk)
            if not http.job_is_stale(locked, now):
                continue  # a worker reported in meanwhile
            _batch_restart(locked)
            count += 1
    return count
