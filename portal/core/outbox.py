"""The one outbox: every email is a stored row, sent by a Celery task queued after commit.

``queue_email`` writes the row; the task ``core.send_email`` sends it; ``core.outbox_flush``
(Celery beat, every minute) re-queues what a down broker or SMTP server left behind. Nothing
is lost: a row stays queued/retrying until it is sent or has failed for a permanent reason.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
from datetime import timedelta
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils import timezone, translation

from . import audit
from .models import Notification, NotificationPreference, OutboundEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 60  # 1, 2, 4, 8 … minutes
STALE_SENDING = timedelta(minutes=15)
QUEUED_GRACE = timedelta(minutes=1)  # a queued row older than this was not picked up

TEMPORARY_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    socket.timeout,
    TimeoutError,
    OSError,
)


def is_temporary(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= c < 500 for c in codes)
    return isinstance(exc, TEMPORARY_ERRORS)


# --- secrets in stored mail ----------------------------------------------------------------
# Links whose path is a secret (who holds the link holds the access) and the mails that carry a
# one-time code. Once a mail is sent, the stored copy keeps its text but not the secret.
SECRET_LINKS: dict[str, tuple[str, ...]] = {
    "account_reset_password_from_key": ("uidb36", "key"),
    "account_confirm_email": ("key",),
    "accounts:invitation_accept": ("token",),
    "core:calendar_feed": ("token",),
    "consultations:register_confirm": ("token",),
    "consultations:reset_confirm": ("token",),
}
SECRET_CODE_KINDS = (
    "account/email/login_code",
    "account/email/password_reset_code",
    "account/email/email_confirm",
)
REDACTED = "[redacted]"
_CODE = re.compile(r"(?<![\w/.-])[A-Z0-9]{6,12}(?![\w/.-])")
_SENTINEL = "zzSECRETzz"


@cache
def _secret_link_pattern() -> re.Pattern:
    paths = []
    for name, kwargs in SECRET_LINKS.items():
        try:
            path = reverse(name, kwargs={k: _SENTINEL for k in kwargs})
        except NoReverseMatch:  # an app that is not installed
            continue
        paths.append(re.escape(path).replace(re.escape(_SENTINEL), r"[^\s\"'<>/]+"))
    return re.compile(r"(?:https?://[^\s\"'<>/]+)?(?:" + "|".join(paths) + ")")


def redact_secrets(text: str, *, kind: str = "") -> str:
    """The text with every secret link (and, for code mails, every one-time code) replaced."""
    if not text:
        return text
    text = _secret_link_pattern().sub(REDACTED, text)
    if kind.startswith(SECRET_CODE_KINDS):
        text = _CODE.sub(REDACTED, text)
    return text


def backoff_seconds(attempts: int) -> int:
    return BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def _enqueue(mail_id: int) -> None:
    from .tasks import send_email

    try:
        send_email.delay(mail_id=mail_id)
    except Exception:  # broker down: the row stays queued and outbox_flush sends it later
        logger.warning("broker unavailable; email %s waits for the next outbox flush", mail_id, exc_info=True)


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    recipient=None,
    kind: str = "",
    attachments: list[dict] | None = None,
) -> OutboundEmail:
    mail = OutboundEmail.objects.create(
        to=to,
        recipient=recipient,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        attachments=attachments or [],
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def queue_templated_email(
    *, to: str, template: str, context: dict, recipient=None, attachments=None, language: str | None = None
) -> OutboundEmail:
    """Render ``templates/<template>_subject.txt`` / ``_body.txt`` in the recipient's language.

    Bodies extend ``core/email/letter_body.txt``: the addressee (``recipient``), the secretariat's
    greeting, what happened with its facts, what to do next with the absolute link, the signature."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = {"site_url": settings.SITE_URL, "recipient": recipient, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = re.sub(r"\n{3,}", "\n\n", render_to_string(f"{template}_body.txt", ctx)).strip() + "\n"
    return queue_email(
        to=to,
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body_text=body,
        recipient=recipient,
        kind=template,
        attachments=attachments,
    )


def queue_emails(messages: list[dict], *, kind: str = "") -> list[OutboundEmail]:
    """Many stored emails in one insert, each queued after commit as ``queue_email`` queues one
    (a coordinator's letter to a group). ``messages``: dicts of to, subject, body_text, recipient."""
    mails = OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                to=m["to"],
                recipient=m.get("recipient"),
                subject=m["subject"][:255],
                body_text=m["body_text"],
                kind=kind,
            )
            for m in messages
        ]
    )
    ids = [mail.pk for mail in mails]

    def enqueue_all() -> None:
        for pk in ids:
            _enqueue(pk)

    transaction.on_commit(enqueue_all)
    return mails


def notify(
    *, user, title: str, body: str = "", url: str = "", email: bool = True, area: str | None = None
) -> Notification:
    """An in-portal notification, and (by default) the same news by email as a letter from the
    secretariat (``templates/core/email/notification_body.txt``).

    The email is left out when the person switched its area off (``NotificationPreference``);
    the area is ``area`` or else follows from the link's URL namespace. The notification inside
    the portal is always created."""
    if area is not None and area not in NotificationPreference.Area.values:
        raise ValueError(f"unknown notification area: {area!r}")
    note = Notification.objects.create(user=user, title=title[:200], body=body, url=url)
    if email and user.email and (area or area_for_url(url)) not in email_off_areas(user):
        queue_templated_email(
            to=user.email,
            recipient=user,
            template="core/email/notification",
            context={"title": title, "body": body, "url": url},
        )
    return note


def notify_all(users, *, title: str, body: str = "", url: str = "", area: str | None = None) -> int:
    """``notify`` each of ``users`` once (a person listed twice, e.g. as a member and as the
    submitter, is told once). Returns how many were notified."""
    unique = {user.pk: user for user in users}
    for user in unique.values():
        notify(user=user, title=title, body=body, url=url, area=area)
    return len(unique)


def deliver(mail_id: int) -> str:
    """Send one stored email. Safe to call twice. Returns the resulting status.

    A temporary SMTP failure leaves the row ``retrying`` with ``next_attempt_at`` set by
    exponential backoff; ``outbox_flush`` (beat) queues it again when that time comes. The
    retry state lives in the row, not in the broker, so a restarted worker or broker loses nothing.
    """
    with transaction.atomic():
        mail = OutboundEmail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status in (OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED):
            return mail.status if mail else "missing"
        if (
            mail.status == OutboundEmail.Status.SENDING
            and mail.next_attempt_at
            and mail.next_attempt_at > timezone.now()
        ):
            return mail.status  # another worker holds it
        mail.status = OutboundEmail.Status.SENDING
        mail.attempts += 1
        mail.next_attempt_at = timezone.now() + STALE_SENDING
        mail.save(update_fields=["status", "attempts", "next_attempt_at"])

    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to]
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for att in mail.attachments:
        message.attach(att["filename"], att["content"], att.get("mimetype", "application/octet-stream"))
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        temporary = is_temporary(exc)
        retry = temporary and mail.attempts < MAX_ATTEMPTS
        mail.status = OutboundEmail.Status.RETRYING if retry else OutboundEmail.Status.FAILED
        mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
        mail.next_attempt_at = (
            timezone.now() + timedelta(seconds=backoff_seconds(mail.attempts)) if retry else None
        )
        mail.save(update_fields=["status", "last_error", "next_attempt_at"])
        if retry:
            logger.warning("email %s: temporary failure, retry at %s", mail.pk, mail.next_attempt_at)
            return mail.status
        logger.error("email %s failed permanently: %s", mail.pk, mail.last_error)
        return mail.status
    mail.status = OutboundEmail.Status.SENT
    mail.sent_at = timezone.now()
    mail.next_attempt_at = None
    mail.last_error = ""
    # Sent: the stored copy no longer needs the reset / invitation / feed link it carried.
    mail.body_text = redact_secrets(mail.body_text, kind=mail.kind)
    mail.body_html = redact_secrets(mail.body_html, kind=mail.kind)
    mail.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "body_text", "body_html"])
    return mail.status


def due_for_flush():
    """Rows the broker never delivered, whose retry time has come, or whose sender died."""
    now = timezone.now()
    status = OutboundEmail.Status
    due = (
        Q(status=status.QUEUED, created_at__lte=now - QUEUED_GRACE)
        | Q(status=status.RETRYING, next_attempt_at__lte=now)
        | Q(status=status.SENDING, next_attempt_at__lte=now)
    )
    return OutboundEmail.objects.filter(due).order_by("created_at").values_list("pk", flat=True)


def flush() -> int:
    ids = list(due_for_flush()[:500])
    for mail_id in ids:
        _enqueue(mail_id)
    return len(ids)


# --- notification preferences -------------------------------------------------------------------

# URL namespace of a notification's link -> the area a person can switch off for email.
AREA_BY_NAMESPACE = {
    "casereviews": NotificationPreference.Area.CASES,
    "municipalities": NotificationPreference.Area.NETWORK,
    "windows": NotificationPreference.Area.NETWORK,
    "partners": NotificationPreference.Area.TALENT_BANK,
    "meetings": NotificationPreference.Area.MEETINGS,
    "training": NotificationPreference.Area.TRAINING,
    "guidebook": NotificationPreference.Area.GUIDEBOOK,
    "outreach": NotificationPreference.Area.OUTREACH,
    "subsidies": NotificationPreference.Area.SUBSIDY,
    "news": NotificationPreference.Area.NEWS,
    "directory": NotificationPreference.Area.NEWS,
}


def area_for_url(url: str) -> str:
    """The area of a portal link (``/cases/12/`` or ``SITE_URL/cases/12/`` -> cases); no link, a
    link elsewhere, to a page outside the apps or one that does not resolve -> account and other."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return NotificationPreference.Area.ACCOUNT
    path = parts.path
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    try:
        namespace = resolve(path).namespace if path.startswith("/") else ""
    except Resolver404:
        namespace = ""
    return AREA_BY_NAMESPACE.get(namespace.split(":")[0], NotificationPreference.Area.ACCOUNT)


def email_off_areas(user) -> set[str]:
    """The areas whose notifications reach ``user`` only inside the portal (one query)."""
    if user is None or user.pk is None:
        return set()
    off = NotificationPreference.objects.filter(user_id=user.pk).values_list("email_off", flat=True).first()
    return set(off or ())


def prune(*, now=None) -> int:
    """Delete sent and failed mail older than OUTBOX_RETENTION_DAYS; queued and retrying mail
    is kept whatever its age (nothing unsent is lost). The count is audited."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    finished = OutboundEmail.objects.filter(
        Q(status=OutboundEmail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutboundEmail.Status.FAILED, created_at__lt=cutoff)
    )
    with transaction.atomic():
        deleted, _rows = finished.delete()
        if deleted:
            audit.record(
                actor=None,
                action="outbox.prune",
                details={"deleted": deleted, "retention_days": settings.OUTBOX_RETENTION_DAYS},
            )
    return deleted
