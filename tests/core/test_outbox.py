import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from portal.core import outbox
from portal.core.models import OutboundEmail
from portal.core.tasks import outbox_flush, send_email


class DownSMTP:
    """An SMTP backend whose server is down (temporary) or refuses the address (permanent)."""

    error: BaseException = smtplib.SMTPServerDisconnected("connection refused")

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise self.error


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.DownSMTP"
    DownSMTP.error = smtplib.SMTPServerDisconnected("connection refused")
    return DownSMTP


@pytest.mark.django_db(transaction=True)
def test_email_is_queued_on_commit_and_sent():
    with transaction.atomic():
        stored = outbox.queue_email(to="a@example.jp", subject="件名", body_text="本文")
        assert len(mail.outbox) == 0, "nothing leaves before the transaction commits"

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.SENT and stored.attempts == 1
    assert mail.outbox[0].subject == "件名"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_email(to="a@example.jp", subject="s", body_text="b")
        raise RuntimeError

    assert OutboundEmail.objects.count() == 0 and mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_smtp_down_keeps_the_mail_and_retries_with_backoff(smtp_down, settings):
    start = dt.datetime(2026, 5, 1, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        stored = outbox.queue_email(to="a@example.jp", subject="s", body_text="b")
        stored.refresh_from_db()
        assert stored.status == OutboundEmail.Status.RETRYING
        assert stored.next_attempt_at == start + dt.timedelta(seconds=60)
        assert "SMTPServerDisconnected" in stored.last_error

        traveller.shift(dt.timedelta(seconds=30))
        assert outbox_flush.delay().get() == 0, "not due yet"
        traveller.shift(dt.timedelta(seconds=31))
        outbox_flush.delay().get()
        stored.refresh_from_db()
        assert stored.attempts == 2
        assert stored.next_attempt_at == start + dt.timedelta(seconds=61 + 120)

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        traveller.shift(dt.timedelta(minutes=3))
        outbox_flush.delay().get()

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.SENT and stored.attempts == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_permanent_smtp_error_fails_without_retry(smtp_down):
    smtp_down.error = smtplib.SMTPRecipientsRefused({"a@example.jp": (550, b"no such user")})

    stored = outbox.queue_email(to="a@example.jp", subject="s", body_text="b")

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.FAILED and stored.next_attempt_at is None


@pytest.mark.django_db(transaction=True)
def test_gives_up_after_max_attempts(smtp_down):
    stored = outbox.queue_email(to="a@example.jp", subject="s", body_text="b")
    for _ in range(outbox.MAX_ATTEMPTS):
        OutboundEmail.objects.filter(pk=stored.pk).update(next_attempt_at=None)
        send_email.delay(mail_id=stored.pk)

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.FAILED
    assert stored.attempts == outbox.MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_broker_down_loses_nothing(monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(send_email, "delay", broker_down)
    with time_machine.travel(dt.datetime(2026, 5, 1, tzinfo=dt.UTC), tick=False) as traveller:
        stored = outbox.queue_email(to="a@example.jp", subject="s", body_text="b")
        stored.refresh_from_db()
        assert stored.status == OutboundEmail.Status.QUEUED and mail.outbox == []

        monkeypatch.undo()
        traveller.shift(dt.timedelta(minutes=2))
        assert outbox_flush.delay().get() == 1

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.SENT and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sending_twice_sends_once():
    stored = outbox.queue_email(to="a@example.jp", subject="s", body_text="b")

    assert send_email.delay(mail_id=stored.pk).get() == OutboundEmail.Status.SENT
    assert outbox.deliver(stored.pk) == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_task_for_a_deleted_row_does_nothing():
    assert outbox.deliver(999999) == "missing"


@pytest.mark.django_db(transaction=True)
def test_notify_creates_notification_and_email(admin_a):
    note = outbox.notify(user=admin_a, title="研修の受付開始", body="申込みを受け付けています。", url="/")

    assert note.user == admin_a and note.read_at is None
    assert OutboundEmail.objects.get(recipient=admin_a).status == OutboundEmail.Status.SENT
    assert "研修の受付開始" in mail.outbox[0].subject


@pytest.mark.django_db(transaction=True)
def test_ics_attachment_is_sent(admin_a):
    outbox.queue_email(
        to="a@example.jp",
        subject="s",
        body_text="b",
        attachments=[
            {
                "filename": "invite.ics",
                "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                "mimetype": "text/calendar",
            }
        ],
    )

    assert mail.outbox[0].attachments[0][0] == "invite.ics"


@pytest.mark.django_db
def test_coordinator_can_send_a_failed_email_again(coordinator, client, django_capture_on_commit_callbacks):
    stored = OutboundEmail.objects.create(
        to="a@example.jp", subject="s", body_text="b", status="failed", attempts=8
    )
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/outbox/{stored.pk}/retry/")

    stored.refresh_from_db()
    assert stored.status == OutboundEmail.Status.SENT


# --- secrets are not kept in stored mail; old mail is pruned ---------------------------------


@pytest.mark.django_db
def test_sent_invitation_keeps_no_token(django_capture_on_commit_callbacks, admin_a, org_a):
    from portal.accounts import services as account_services
    from portal.accounts.models import Membership

    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = account_services.invitation_create(
            actor=admin_a, email="new@example.jp", organization=org_a, role=Membership.Role.MEMBER
        )

    assert token in mail.outbox[-1].body, "the person receives the link"
    stored = OutboundEmail.objects.get(to="new@example.jp")
    assert stored.status == OutboundEmail.Status.SENT
    assert token not in stored.body_text and token not in stored.body_html
    assert "/accounts/invitations/accept/" not in stored.body_text
    assert outbox.REDACTED in stored.body_text


@pytest.mark.django_db
def test_sent_password_reset_keeps_no_key(django_capture_on_commit_callbacks, client, member_a):
    import re

    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member_a.email})

    sent = mail.outbox[-1].body
    link = re.search(r"https?://\S+/password/reset/key/\S+", sent)
    assert link, sent
    stored = OutboundEmail.objects.get(to=member_a.email, kind__contains="password_reset")
    assert link.group(0) not in stored.body_text and link.group(0) not in stored.body_html
    assert "/password/reset/key/" not in stored.body_text + stored.body_html


@pytest.mark.django_db
def test_queued_mail_keeps_its_link_until_sent(admin_a):
    link = "https://portal.example.jp/calendar/feed/abcdefSECRET123.ics"
    stored = outbox.queue_email(to="a@example.jp", subject="s", body_text=f"購読URL: {link}")

    stored.refresh_from_db()
    assert link in stored.body_text, "a retry must still send the link"

    outbox.deliver(stored.pk)

    stored.refresh_from_db()
    assert "abcdefSECRET123" not in stored.body_text and stored.body_text.startswith("購読URL: ")


@pytest.mark.django_db
def test_prune_deletes_old_finished_mail_only(settings):
    from portal.core.models import AuditEvent

    settings.OUTBOX_RETENTION_DAYS = 30
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    old = now - dt.timedelta(days=31)
    recent = now - dt.timedelta(days=5)
    rows = {}
    for name, status, when in [
        ("old_sent", OutboundEmail.Status.SENT, old),
        ("old_failed", OutboundEmail.Status.FAILED, old),
        ("old_retrying", OutboundEmail.Status.RETRYING, old),
        ("old_queued", OutboundEmail.Status.QUEUED, old),
        ("recent_sent", OutboundEmail.Status.SENT, recent),
    ]:
        row = OutboundEmail.objects.create(
            to=f"{name}@example.jp", subject=name, body_text="b", status=status
        )
        OutboundEmail.objects.filter(pk=row.pk).update(
            created_at=when, sent_at=when if status == OutboundEmail.Status.SENT else None
        )
        rows[name] = row.pk

    deleted = outbox.prune(now=now)

    assert deleted == 2
    left = set(OutboundEmail.objects.values_list("subject", flat=True))
    assert left == {"old_retrying", "old_queued", "recent_sent"}
    event = AuditEvent.objects.get(action="outbox.prune")
    assert event.details == {"deleted": 2, "retention_days": 30}


def test_prune_runs_on_a_schedule(settings):
    from portal.core.tasks import outbox_prune

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == outbox_prune.name]
    assert len(entries) == 1


@pytest.mark.django_db(transaction=True)
def test_an_invitation_names_its_charset_once(admin_a):
    from portal.core.calendars import ics_attachment

    outbox.queue_email(
        to="a@example.jp",
        subject="s",
        body_text="b",
        attachments=[ics_attachment("BEGIN:VCALENDAR\r\nSUMMARY:交流会\r\nEND:VCALENDAR\r\n")],
    )

    message = mail.outbox[0].message()
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    header = calendar["Content-Type"]
    assert header.lower().count("charset") == 1, header
    assert calendar.get_param("method") == "REQUEST"
    assert "交流会" in calendar.get_payload(decode=True).decode("utf-8")
