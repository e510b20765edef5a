"""Every write of coordinators' mailings: drafts, the send, and the task that writes the letters.

Sending is a one-way step. ``mailing_send`` locks the draft, checks that the group still counts
what the confirmation page showed, fixes the recipients (one row per person) and moves the
mailing draft → sending; a second click finds it sending and writes nothing. The Celery task then
turns the fixed rows into stored outgoing emails in batches (a fixed number of queries per batch),
recording progress; it only takes rows still waiting, so a rerun never writes to anyone twice.

Notification preferences (``NotificationPreference``) are not applied. They let a person receive
the portal's automatic notifications of an area inside the portal only; a coordinator's message is
a letter the secretariat writes on purpose to the people of one meeting, session or organisation
(a changed venue, a request for documents), like an invitation or a reminder the person cannot
switch off. Who should not receive it is decided by the group and by the rule that only people
who still act for their organisation (or are active experts or secretariat staff) are written to.
"""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import require_coordinator
from portal.core import audit, http, outbox, pii
from portal.core.exceptions import StaleEdit

from . import letters, selectors, sources
from .models import Mailing, MailingRecipient

__all__ = ["StaleEdit", "PersonalDataFound", "AudienceChanged", "AlreadySent"]

PersonalDataFound = pii.PersonalDataFound
GUARDED_FIELDS = ("subject", "body")
BATCH_SIZE = 100
R = MailingRecipient.Status


class AudienceChanged(ValidationError):
    """The group no longer counts what the confirmation page showed."""

    def __init__(self, *, expected: int, count: int):
        super().__init__(
            _(
                "The number of recipients changed from %(expected)d to %(count)d since the page was "
                "shown. Check the new number and send again."
            )
            % {"expected": expected, "count": count}
        )
        self.count = count


class AlreadySent(ValidationError):
    pass


def allowed_placeholders(mailing_source: str) -> tuple[str, ...]:
    if mailing_source == Mailing.Source.ORGANIZATIONS:
        return sources.ORGANIZATION_PLACEHOLDERS
    return sources.SOURCES[mailing_source].placeholders


def placeholder_error(text: str, source: str) -> str:
    """The message for placeholders this mailing cannot fill, or ""."""
    unknown = letters.unknown_placeholders(text, allowed_placeholders(source))
    if not unknown:
        return ""
    return _("%(unknown)s cannot be filled in here. You can use: %(allowed)s") % {
        "unknown": "、".join(f"「{u}」" for u in unknown),
        "allowed": " ".join(allowed_placeholders(source)),
    }


def _check_text(source: str, subject: str, body: str) -> None:
    for field, text in (("subject", subject), ("body", body)):
        if message := placeholder_error(text, source):
            raise ValidationError({field: message})


def open_findings(values: dict, confirmed) -> dict[str, list[pii.Finding]]:
    found = pii.scan_fields({name: values.get(name) or "" for name in GUARDED_FIELDS})
    result = {f: [x for x in items if pii.finding_key(f, x) not in confirmed] for f, items in found.items()}
    return {f: items for f, items in result.items() if items}


def _guard(values: dict, confirmed) -> list[str]:
    """Raise PersonalDataFound for unconfirmed findings; return the keys of the kept ones."""
    confirmed = set(confirmed)
    if remaining := open_findings(values, confirmed):
        raise PersonalDataFound(remaining)
    found = pii.scan_fields({name: values.get(name) or "" for name in GUARDED_FIELDS})
    return sorted({pii.finding_key(f, x) for f, items in found.items() for x in items})


def _facts(source: str, source_obj) -> dict:
    if source == Mailing.Source.ORGANIZATIONS:
        return sources.organization_facts()
    return sources.SOURCES[source].facts(source_obj)


def mailing_create(
    *,
    actor,
    source: str,
    subject: str,
    body: str,
    source_obj=None,
    group: str = "",
    audience: dict | None = None,
    confirmed=(),
) -> Mailing:
    """A draft: nothing is sent until ``mailing_send``."""
    require_coordinator(actor)
    if source != Mailing.Source.ORGANIZATIONS and group not in sources.SOURCES[source].groups:
        raise ValidationError({"group": _("Choose who to write to.")})
    subject, body = subject.strip(), body.strip()
    _check_text(source, subject, body)
    kept = _guard({"subject": subject, "body": body}, confirmed)
    with transaction.atomic():
        mailing = Mailing.objects.create(
            source=source,
            source_id=getattr(source_obj, "pk", None),
            group=group,
            audience=audience or {},
            facts=_facts(source, source_obj),
            subject=subject,
            body=body,
            confirmed_findings=kept,
            created_by=actor,
        )
        audit.record(actor=actor, action="mailing.create", obj=mailing, details={"kept_findings": len(kept)})
    return mailing


def mailing_update(
    *,
    actor,
    mailing: Mailing,
    subject: str,
    body: str,
    based_on_version: int,
    source_obj=None,
    group: str = "",
    audience: dict | None = None,
    confirmed=(),
) -> Mailing:
    require_coordinator(actor)
    if mailing.source != Mailing.Source.ORGANIZATIONS and group not in sources.SOURCES[mailing.source].groups:
        raise ValidationError({"group": _("Choose who to write to.")})
    subject, body = subject.strip(), body.strip()
    _check_text(mailing.source, subject, body)
    kept = _guard({"subject": subject, "body": body}, set(confirmed) | set(mailing.confirmed_findings))
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if not locked.is_draft:
            raise AlreadySent(_("This message has already been sent and cannot be changed."))
        locked.subject, locked.body, locked.group = subject, body, group
        locked.audience = audience or {}
        locked.facts = _facts(locked.source, source_obj)
        locked.confirmed_findings = kept
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="mailing.update", obj=locked, details={"kept_findings": len(kept)})
    return locked


def mailing_send(
    *, actor, mailing: Mailing, expected_count: int, based_on_version: int, source_obj=None
) -> Mailing:
    """The irreversible step: fix the recipients and queue the task. Safe against a double click
    (the row is locked and must still be a draft) and against a group that changed since the
    confirmation page (the count must be the one shown)."""
    from . import tasks

    require_coordinator(actor)
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if not locked.is_draft:
            raise AlreadySent(_("This message is already being sent."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        values = {name: getattr(locked, name) for name in GUARDED_FIELDS}
        if open_findings(values, set(locked.confirmed_findings)):
            raise ValidationError(
                _("The text holds personal data that was not confirmed. Edit the message first.")
            )
        _check_text(locked.source, locked.subject, locked.body)
        rows = selectors.audience(actor, locked, source_obj)
        if len(rows) != expected_count:
            raise AudienceChanged(expected=expected_count, count=len(rows))
        if not rows:
            raise ValidationError(_("No one in this group can be written to."))
        MailingRecipient.objects.bulk_create(
            [MailingRecipient(mailing=locked, user_id=u, organization_id=o) for u, o in rows], batch_size=500
        )
        now = timezone.now()
        locked.status = Mailing.Status.SENDING
        locked.total, locked.done = len(rows), 0
        locked.sent_by, locked.started_at, locked.heartbeat_at = actor, now, now
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="mailing.send", obj=locked, details={"recipients": len(rows)})
        transaction.on_commit(lambda: tasks.send_mailing.delay(mailing_id=locked.pk))
    return locked


def send_batch(mailing: Mailing, *, size: int = BATCH_SIZE) -> int:
    """Write the letters of up to ``size`` waiting recipients and hand them to the outbox, in one
    transaction and a fixed number of queries: the rows (locked, skipping rows another run holds),
    the emails (one insert), the rows again (one update), the progress. Returns the rows done."""
    with transaction.atomic():
        rows = list(
            MailingRecipient.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(mailing_id=mailing.pk, status=R.PENDING)
            .select_related("user", "organization")
            .annotate(may_write=selectors.writable())
            .order_by("pk")[:size]
        )
        if not rows:
            return 0
        now = timezone.now()
        writing = [r for r in rows if r.may_write]
        messages = []
        for row in writing:
            subject, body = letters.letter(
                subject=mailing.subject,
                body=mailing.body,
                user=row.user,
                organization=row.organization,
                facts=mailing.facts,
            )
            messages.append(
                {"to": row.user.email, "recipient": row.user, "subject": subject, "body_text": body}
            )
        mails = outbox.queue_emails(messages, kind="mailings/letter")
        for row, mail in zip(writing, mails, strict=True):
            row.email, row.address, row.status, row.queued_at = mail, mail.to, R.QUEUED, now
        for row in rows:
            if not row.may_write:
                row.status = R.SKIPPED
        MailingRecipient.objects.bulk_update(rows, ["email", "address", "status", "queued_at"])
        Mailing.objects.filter(pk=mailing.pk).update(done=F("done") + len(rows), heartbeat_at=now)
    return len(rows)


def mailing_run(mailing_id: int) -> Mailing | None:
    """The body of the Celery task: safe to run twice (only waiting rows are written; a finished
    mailing is left alone); progress and a heartbeat after every batch."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.status != Mailing.Status.SENDING:
        return mailing
    # A restarted run counts what its earlier run handed over already.
    Mailing.objects.filter(pk=mailing.pk).update(
        done=MailingRecipient.objects.filter(mailing_id=mailing.pk).exclude(status=R.PENDING).count(),
        heartbeat_at=timezone.now(),
    )
    try:
        while send_batch(mailing):
            pass
    except Exception as exc:
        # One failure stops nothing for good: the failed batch was rolled back (its people still
        # wait), the error is kept, and the heartbeat is aged so that the next ``restart_stale``
        # pass resumes the run; a run that keeps failing stops after ``http.MAX_RESTARTS``.
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            error=str(exc)[:500], heartbeat_at=http.stale_before() - http.STALE_AFTER
        )
        raise
    with transaction.atomic():
        locked = Mailing.objects.select_for_update().get(pk=mailing.pk)
        pending = MailingRecipient.objects.filter(mailing_id=locked.pk, status=R.PENDING).exists()
        if locked.status == Mailing.Status.SENDING and not pending:
            locked.status, locked.finished_at, locked.error = Mailing.Status.SENT, timezone.now(), ""
            locked.save(update_fields=["status", "finished_at", "error", "updated_at"])
            audit.record(
                actor=None, action="mailing.sent", obj=locked, details={"recipients": _written(locked)}
            )
    return locked


def _written(mailing: Mailing) -> int:
    """The letters really handed to the outbox (people left out or not reached are not counted)."""
    return MailingRecipient.objects.filter(mailing_id=mailing.pk, status=R.QUEUED).count()


def job_state(mailing: Mailing):
    """The mailing as core.http's progress rules read a job."""
    return SimpleNamespace(
        status=mailing.job_status, heartbeat_at=mailing.heartbeat_at, restarts=mailing.restarts
    )


def restart_stale(now=None) -> int:
    """Queue again each sending mailing whose run was lost (no heartbeat for ``http.STALE_AFTER``);
    one lost ``http.MAX_RESTARTS`` times stops, its remaining rows unsent and shown as waiting."""
    from . import tasks

    restarted = 0
    for pk in Mailing.objects.filter(
        status=Mailing.Status.SENDING, heartbeat_at__lt=http.stale_before(now)
    ).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Mailing.objects.select_for_update().get(pk=pk)
            if locked.status != Mailing.Status.SENDING or not http.job_is_stale(job_state(locked), now):
                continue
            if locked.restarts >= http.MAX_RESTARTS:
                # Nobody is left waiting for a run that will not come: the rows not reached are
                # marked as such, and the mailing counts every row it dealt with.
                unsent = MailingRecipient.objects.filter(mailing_id=locked.pk, status=R.PENDING).update(
                    status=R.UNSENT
                )
                locked.status, locked.finished_at = Mailing.Status.FAILED, timezone.now()
                locked.done = MailingRecipient.objects.filter(mailing_id=locked.pk).count()
                locked.error = _("Sending was interrupted %(n)d times and has stopped.") % {
                    "n": locked.restarts + 1
                }
                locked.save(update_fields=["status", "finished_at", "error", "done", "updated_at"])
                audit.record(
                    actor=None,
                    action="mailing.abandon",
                    obj=locked,
                    details={"recipients": _written(locked), "unsent": unsent},
                )
                continue
            locked.restarts += 1
            locked.heartbeat_at = timezone.now()
            locked.save(update_fields=["restarts", "heartbeat_at", "updated_at"])
            audit.record(actor=None, action="mailing.restart", obj=locked)
            transaction.on_commit(partial(tasks.send_mailing.delay, mailing_id=pk))
            restarted += 1
    return restarted
