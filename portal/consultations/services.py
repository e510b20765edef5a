"""Every write of メール相談 and 相談記録: registration and sign-in of residents, threads and replies,
the counsellors' drafts, review, notes and templates, the records, and the purge after retention.

Audit: every write here is recorded (``consultations.*``); counsellors' reads are recorded by the
views through :func:`record_read`. Details never hold what a person wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import audit, outbox, pii
from portal.core.dates import add_business_days
from portal.core.exceptions import StaleEdit
from portal.core.models import OutboundEmail

from . import limits
from .models import Message, Method, Note, Record, ReplyTemplate, Resident, Thread
from .numbers import USER_NUMBER_LENGTH, normalise_user_number, random_user_number

REGISTRATION_HOURS = 24
RESET_HOURS = 1


# --- 利用者番号 --------------------------------------------------------------------------------


def new_user_number() -> str:
    while True:
        number = random_user_number()
        if not Resident.objects.filter(user_number=number).exists():
            return number


# --- one-time links (registration, password reset) --------------------------------------------


def _token_key(kind: str, token: str) -> str:
    return f"resident-token:{kind}:" + hashlib.sha256(token.encode()).hexdigest()


def _issue_token(kind: str, value, hours: int) -> str:
    token = secrets.token_urlsafe(32)
    cache.set(_token_key(kind, token), value, hours * 3600)
    return token


def token_value(kind: str, token: str):
    return cache.get(_token_key(kind, token or ""))


def _spend_token(kind: str, token: str) -> None:
    cache.delete(_token_key(kind, token))


def _send(*, to: str, template: str, context: dict) -> None:
    outbox.queue_templated_email(to=to, template=f"consultations/email/{template}", context=context)


# --- registration, sign-in, reset, leaving -----------------------------------------------------


def registration_start(*, email: str) -> None:
    """Always the same answer on screen; the mail says what to do next. An address that already has
    an account gets a mail saying so (sign in, or reset the password), never a second account."""
    email = email.strip().lower()
    with transaction.atomic():
        if Resident.objects.filter(email=email, is_active=True).exists():
            _send(to=email, template="already_registered", context={"url": reverse("consultations:sign_in")})
        else:
            token = _issue_token("register", email, REGISTRATION_HOURS)
            url = reverse("consultations:register_confirm", kwargs={"token": token})
            _send(to=email, template="register", context={"url": url, "hours": REGISTRATION_HOURS})
        audit.record(actor=None, action="consultations.registration.start")


def registration_complete(*, token: str, nickname, prefecture, age_band, withdrawal, password) -> Resident:
    email = token_value("register", token)
    if not email:
        raise ValidationError(_("This link has expired or was already used. Please start again."))
    with transaction.atomic():
        resident = Resident(
            user_number=new_user_number(),
            nickname=nickname,
            prefecture=prefecture,
            age_band=age_band,
            withdrawal=withdrawal,
            email=email,
            email_verified_at=timezone.now(),
        )
        resident.set_password(password)
        resident.save()
        _spend_token("register", token)
        audit.record(actor=None, action="consultations.resident.register", obj=resident)
    return resident


class SignInRefused(Exception):
    """One message for every refusal: unknown number, wrong password, locked, too many attempts."""


_DUMMY_PASSWORD = make_password("not a password")


def resident_authenticate(*, user_number: str, password: str, ip: str | None) -> Resident:
    number = normalise_user_number(user_number)
    if limits.rate_limited("sign-in", ip) or limits.is_locked(number):
        make_password(password)  # the same time whatever the reason
        raise SignInRefused
    resident = Resident.objects.filter(user_number=number, is_active=True).first()
    if resident is None:
        make_password(password)
        limits.sign_in_failed(number)
        raise SignInRefused
    if not resident.check_password(password):
        limits.sign_in_failed(number)
        audit.record(actor=None, action="consultations.resident.sign_in_failed", obj=resident)
        raise SignInRefused
    limits.sign_in_succeeded(number)
    Resident.objects.filter(pk=resident.pk).update(last_login_at=timezone.now())
    audit.record(actor=None, action="consultations.resident.sign_in", obj=resident)
    return resident


def reset_start(*, email: str) -> None:
    """Mails a reset link to every active account of the address; the screen says the same either way."""
    email = email.strip().lower()
    with transaction.atomic():
        for resident in Resident.objects.filter(email=email, is_active=True):
            token = _issue_token("reset", [resident.pk, resident.session_hash()], RESET_HOURS)
            url = reverse("consultations:reset_confirm", kwargs={"token": token})
            _send(to=email, template="reset", context={"url": url, "hours": RESET_HOURS})
            audit.record(actor=None, action="consultations.resident.reset_start", obj=resident)


def reset_resident(token: str) -> Resident | None:
    value = token_value("reset", token)
    if not value:
        return None
    resident = Resident.objects.filter(pk=value[0], is_active=True).first()
    if resident is None or resident.session_hash() != value[1]:
        return None
    return resident


def reset_complete(*, token: str, password: str) -> Resident:
    resident = reset_resident(token)
    if resident is None:
        raise ValidationError(_("This link has expired or was already used. Please start again."))
    with transaction.atomic():
        resident.set_password(password)
        resident.session_generation += 1
        resident.save(update_fields=["password", "session_generation"])
        _spend_token("reset", token)
        limits.sign_in_succeeded(resident.user_number)
        audit.record(actor=None, action="consultations.resident.reset", obj=resident)
    return resident


def resident_update(*, resident: Resident, nickname, prefecture, age_band, withdrawal) -> Resident:
    with transaction.atomic():
        resident.nickname, resident.prefecture = nickname, prefecture
        resident.age_band, resident.withdrawal = age_band, withdrawal
        resident.save(update_fields=["nickname", "prefecture", "age_band", "withdrawal"])
        audit.record(actor=None, action="consultations.resident.update", obj=resident)
    return resident


def resident_password_change(*, resident: Resident, password: str) -> Resident:
    with transaction.atomic():
        resident.set_password(password)
        resident.save(update_fields=["password"])
        audit.record(actor=None, action="consultations.resident.password", obj=resident)
    return resident


def resident_leave(*, resident: Resident) -> None:
    """退会: the account can no longer sign in, its threads are closed; everything is purged on schedule."""
    now = timezone.now()
    with transaction.atomic():
        for thread in Thread.objects.filter(resident=resident).exclude(status=Thread.Status.CLOSED):
            _close(thread, now)
        resident.is_active = False
        resident.left_at = now
        resident.password = ""
        resident.session_generation += 1
        resident.save(update_fields=["is_active", "left_at", "password", "session_generation"])
        audit.record(actor=None, action="consultations.resident.leave", obj=resident)


# --- threads: the resident's side --------------------------------------------------------------


def due_date(received: dt.datetime) -> dt.date:
    """原則3営業日以内に返信: business days after the Tokyo date of receipt (土日祝・年末年始 excluded)."""
    return add_business_days(timezone.localtime(received).date(), settings.MAIL_CONSULTATION_REPLY_DAYS)


def is_overdue(thread: Thread, today: dt.date | None = None) -> bool:
    return (
        thread.status == Thread.Status.WAITING
        and thread.due_on is not None
        and (today or timezone.localdate()) > thread.due_on
    )


def thread_create(*, resident: Resident, subject: str, body: str, relation: str) -> Thread:
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            resident=resident,
            subject=subject,
            waiting_since=now,
            due_on=due_date(now),
            last_contact_at=now,
        )
        Message.objects.create(thread=thread, author_kind=Message.Author.RESIDENT, body=body)
        # A mail thread makes its 相談記録: the counsellors complete topics and referral when they answer.
        Record.objects.create(
            method=Method.MAIL,
            date=timezone.localdate(),
            relation=relation,
            age_band=resident.age_band,
            withdrawal=resident.withdrawal,
            prefecture=resident.prefecture,
            nickname=resident.nickname,
            resident=resident,
            thread=thread,
            last_contact_at=now,
        )
        Resident.objects.filter(pk=resident.pk).update(last_contact_at=now)
        audit.record(actor=None, action="consultations.thread.create", obj=thread)
    return thread


def resident_write(*, resident: Resident, thread: Thread, body: str) -> Message:
    if thread.resident_id != resident.pk or thread.status == Thread.Status.CLOSED:
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        message = Message.objects.create(thread=locked, author_kind=Message.Author.RESIDENT, body=body)
        if locked.status != Thread.Status.WAITING:
            locked.status = Thread.Status.WAITING
            locked.waiting_since = now
            locked.due_on = due_date(now)
        locked.last_contact_at = now
        locked.save(update_fields=["status", "waiting_since", "due_on", "last_contact_at"])
        Record.objects.filter(thread=locked).update(last_contact_at=now)
        Resident.objects.filter(pk=resident.pk).update(last_contact_at=now)
        if locked.assigned_to_id:
            outbox.notify(
                user=locked.assigned_to,
                title=_("A mail consultation you are assigned to has a new message"),
                url=reverse("consultations:thread_detail", args=[locked.pk]),
            )
        audit.record(actor=None, action="consultations.thread.write", obj=locked)
    return message


def replies_read(*, resident: Resident, thread: Thread) -> int:
    return Message.objects.filter(
        thread=thread, thread__resident=resident, author_kind=Message.Author.COUNSELLOR, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- threads: the counsellors' side -------------------------------------------------------------


def record_read(*, actor, obj, action: str) -> None:
    """A counsellor read a thread or a record: audited like every write."""
    audit.record(actor=actor, action=action, obj=obj)


def thread_assign(*, actor, thread: Thread, counsellor) -> Thread:
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(assigned_to=counsellor)
        thread.assigned_to = counsellor
        audit.record(actor=actor, action="consultations.thread.assign", obj=thread)
    return thread


def _locked_draft(thread: Thread, based_on_version: int) -> Thread:
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    if locked.draft_version != based_on_version:
        raise StaleEdit(current=locked)
    return locked


def draft_save(*, actor, thread: Thread, body: str, based_on_version: int) -> Thread:
    """Two counsellors answering the same thread: the second save with an older version is refused
    (``StaleEdit``) and the view shows both texts."""
    with transaction.atomic():
        locked = _locked_draft(thread, based_on_version)
        locked.draft_body = body
        locked.draft_state = Thread.DraftState.DRAFT
        locked.draft_by = actor
        locked.reviewed_by = None
        locked.draft_version += 1
        locked.save(update_fields=["draft_body", "draft_state", "draft_by", "reviewed_by", "draft_version"])
        audit.record(actor=actor, action="consultations.draft.save", obj=locked)
    return locked


def draft_submit(*, actor, thread: Thread, based_on_version: int) -> Thread:
    with transaction.atomic():
        locked = _locked_draft(thread, based_on_version)
        if not locked.draft_body.strip():
            raise ValidationError(_("Write the reply first."))
        locked.draft_state = Thread.DraftState.REVIEW
        locked.draft_version += 1
        locked.save(update_fields=["draft_state", "draft_version"])
        audit.record(actor=actor, action="consultations.draft.submit", obj=locked)
    return locked


def draft_approve(*, actor, thread: Thread, based_on_version: int) -> Thread:
    with transaction.atomic():
        locked = _locked_draft(thread, based_on_version)
        if locked.draft_state != Thread.DraftState.REVIEW:
            raise ValidationError(_("There is no reply waiting for review."))
        if locked.draft_by_id == actor.pk:
            raise ValidationError(_("A reply is reviewed by another counsellor than its writer."))
        locked.draft_state = Thread.DraftState.APPROVED
        locked.reviewed_by = actor
        locked.draft_version += 1
        locked.save(update_fields=["draft_state", "reviewed_by", "draft_version"])
        audit.record(actor=actor, action="consultations.draft.approve", obj=locked)
    return locked


def reply_send(*, actor, thread: Thread, based_on_version: int) -> Message:
    """The reply goes to the resident's マイページ; the mail says only that a reply is waiting."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_draft(thread, based_on_version)
        if not locked.draft_body.strip():
            raise ValidationError(_("Write the reply first."))
        if settings.MAIL_CONSULTATION_REVIEW and locked.draft_state != Thread.DraftState.APPROVED:
            raise ValidationError(_("This reply must be approved by a senior counsellor before it is sent."))
        if locked.status == Thread.Status.CLOSED:
            raise ValidationError(_("This consultation is closed."))
        message = Message.objects.create(
            thread=locked, author_kind=Message.Author.COUNSELLOR, author=actor, body=locked.draft_body
        )
        locked.draft_body, locked.draft_state, locked.draft_by, locked.reviewed_by = "", "", None, None
        locked.draft_version += 1
        locked.status = Thread.Status.ANSWERED
        locked.waiting_since, locked.due_on = None, None
        locked.last_contact_at = now
        if locked.assigned_to_id is None:
            locked.assigned_to = actor
        locked.save()
        Record.objects.filter(thread=locked).update(last_contact_at=now)
        resident = locked.resident
        Resident.objects.filter(pk=resident.pk).update(last_contact_at=now)
        if resident.is_active and resident.email:
            _send(
                to=resident.email, template="reply_waiting", context={"url": reverse("consultations:my_page")}
            )
        audit.record(actor=actor, action="consultations.reply.send", obj=locked)
    return message


def note_add(*, actor, thread: Thread, body: str) -> Note:
    with transaction.atomic():
        note = Note.objects.create(thread=thread, author=actor, body=body)
        audit.record(actor=actor, action="consultations.note.add", obj=thread)
    return note


def _close(thread: Thread, now) -> None:
    thread.status = Thread.Status.CLOSED
    thread.closed_at = now
    thread.waiting_since, thread.due_on = None, None
    thread.save(update_fields=["status", "closed_at", "waiting_since", "due_on"])


def thread_close(*, actor, thread: Thread) -> Thread:
    with transaction.atomic():
        _close(thread, timezone.now())
        audit.record(actor=actor, action="consultations.thread.close", obj=thread)
    return thread


def template_save(*, actor, template: ReplyTemplate | None, title: str, body: str, is_active: bool):
    with transaction.atomic():
        template = template or ReplyTemplate()
        template.title, template.body, template.is_active = title, body, is_active
        template.save()
        audit.record(actor=actor, action="consultations.template.save", obj=template)
    return template


# --- 相談記録 ---------------------------------------------------------------------------------

RECORD_FIELDS = (
    "method",
    "date",
    "duration_minutes",
    "relation",
    "age_band",
    "withdrawal",
    "municipality",
    "prefecture",
    "topics",
    "referral",
    "nickname",
    "visit_referral",
    "booking_reference",
    "summary",
)
GUARDED_FIELDS = ("summary", "nickname")


def guard_findings(values: dict, confirmed=()) -> dict[str, list[pii.Finding]]:
    found = pii.scan_fields({name: values.get(name) or "" for name in GUARDED_FIELDS})
    open_ = {
        f: [x for x in items if pii.finding_key(f, x) not in set(confirmed)] for f, items in found.items()
    }
    return {f: items for f, items in open_.items() if items}


def _resident_for(nickname_or_number: str) -> Resident | None:
    number = normalise_user_number(nickname_or_number)
    if len(number) != USER_NUMBER_LENGTH:
        return None
    return Resident.objects.filter(user_number=number).first()


def record_create(*, actor, values: dict, confirmed=(), user_number: str = "") -> Record:
    findings = guard_findings(values, confirmed)
    if findings:
        raise pii.PersonalDataFound(findings)
    with transaction.atomic():
        record = Record(counsellor=actor, last_contact_at=timezone.now())
        for name in RECORD_FIELDS:
            if name in values:
                setattr(record, name, values[name])
        record.resident = _resident_for(user_number) if user_number else None
        record.save()
        audit.record(
            actor=actor,
            action="consultations.record.create",
            obj=record,
            details={"confirmed": len(list(confirmed))},
        )
    return record


def record_update(*, actor, record: Record, values: dict, based_on_version: int, confirmed=()) -> Record:
    findings = guard_findings(values, confirmed)
    if findings:
        raise pii.PersonalDataFound(findings)
    with transaction.atomic():
        locked = Record.objects.select_for_update().get(pk=record.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        for name in RECORD_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="consultations.record.update", obj=locked)
    return locked


# --- retention ---------------------------------------------------------------------------------


def _cutoff(now) -> dt.datetime:
    return now - dt.timedelta(days=settings.CONSULTATION_RETENTION_DAYS)


def thread_purge_candidates(*, now):
    return Thread.objects.filter(purged_at__isnull=True, last_contact_at__lt=_cutoff(now))


def thread_purge(thread: Thread, *, actor=None) -> None:
    """The messages and notes go; the thread keeps its dates for the statistics."""
    with transaction.atomic():
        Message.objects.filter(thread=thread).delete()
        Note.objects.filter(thread=thread).delete()
        thread.subject = ""
        thread.draft_body = ""
        thread.draft_state = ""
        if thread.status != Thread.Status.CLOSED:
            _close(thread, timezone.now())
        thread.purged_at = timezone.now()
        thread.save()
        audit.record(actor=actor, action="consultations.thread.purge", obj=thread)


def record_purge_candidates(*, now):
    return Record.objects.filter(purged_at__isnull=True, last_contact_at__lt=_cutoff(now))


def record_purge(record: Record, *, actor=None) -> None:
    """The counts stay (method, date, age band …); the text, nickname and links to a person go."""
    with transaction.atomic():
        record.summary = ""
        record.nickname = ""
        record.booking_reference = ""
        record.resident = None
        record.purged_at = timezone.now()
        record.save()
        audit.record(actor=actor, action="consultations.record.purge", obj=record)


def resident_purge_candidates(*, now):
    cutoff = _cutoff(now)
    stale = Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, created_at__lt=cutoff)
    return Resident.objects.filter(purged_at__isnull=True).filter(stale | Q(left_at__lt=cutoff))


def resident_purge(resident: Resident, *, actor=None) -> None:
    """The account's threads first, then what the account holds and the mails sent to its address."""
    with transaction.atomic():
        for thread in Thread.objects.filter(resident=resident, purged_at__isnull=True):
            thread_purge(thread, actor=actor)
        for record in Record.objects.filter(resident=resident, purged_at__isnull=True):
            record_purge(record, actor=actor)
        if resident.email:
            OutboundEmail.objects.filter(to=resident.email, kind__startswith="consultations/").delete()
        resident.nickname = ""
        resident.email = ""
        resident.password = ""
        resident.is_active = False
        resident.session_generation += 1
        resident.left_at = resident.left_at or timezone.now()
        resident.purged_at = timezone.now()
        resident.save()
        audit.record(actor=actor, action="consultations.resident.purge", obj=resident)
