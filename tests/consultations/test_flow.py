"""The whole メール相談 flow as people go through it: register → 利用者番号 → write → counsellor answers
→ notification → reply read → write again."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.consultations.models import Record, Resident, Thread
from portal.core.models import OutboundEmail

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/consultation/\S+)", body).group(1)


def test_register_write_answer_read_and_write_again(client, counsellor, django_capture_on_commit_callbacks):
    resident_browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_browser.post(reverse("consultations:register"), {"email": "Hikari@Example.jp"})
    assert response.status_code == 200
    link = _link(mail.outbox[-1].body)

    page = resident_browser.get(link)
    assert page.status_code == 200
    response = resident_browser.post(
        link,
        {
            "nickname": "ひかり",
            "prefecture": "東京都",
            "age_band": "20s",
            "withdrawal": "u3y",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    welcome = resident_browser.get(response.url).content.decode()
    resident = Resident.objects.get(email="hikari@example.jp")
    assert resident.email_verified_at is not None
    shown = "-".join(resident.user_number[i : i + 4] for i in range(0, 12, 4))
    assert shown in welcome
    assert resident_browser.get(link).status_code == 410  # the link is spent

    response = resident_browser.post(
        reverse("consultations:thread_new"),
        {"subject": "はじめまして", "relation": "person", "body": "最近、朝起きられません。"},
    )
    assert response.status_code == 302
    thread = Thread.objects.get(resident=resident)
    assert thread.status == Thread.Status.WAITING and thread.due_on is not None
    assert Record.objects.get(thread=thread).method == "mail"

    client.force_login(counsellor)
    inbox = client.get(reverse("consultations:inbox")).content.decode()
    assert thread.reference in inbox
    detail = client.get(reverse("consultations:thread_detail", args=[thread.pk])).content.decode()
    assert "最近、朝起きられません。" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("consultations:thread_draft", args=[thread.pk]),
            {
                "draft-body": "お返事ありがとうございます。ゆっくりで大丈夫です。",
                "draft-version": thread.draft_version,
                "action": "send",
            },
        )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == Thread.Status.ANSWERED
    notice = mail.outbox[-1]
    assert notice.to == ["hikari@example.jp"]

    page = resident_browser.get(reverse("consultations:my_thread", args=[thread.pk])).content.decode()
    assert "ゆっくりで大丈夫です。" in page
    assert thread.messages.filter(author_kind="counsellor", read_at__isnull=False).exists()

    response = resident_browser.post(
        reverse("consultations:my_thread", args=[thread.pk]), {"body": "ありがとうございます。また書きます。"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == Thread.Status.WAITING
    assert thread.messages.count() == 3


def test_notification_mail_says_only_that_a_reply_is_waiting(
    counsellor, resident, django_capture_on_commit_callbacks
):
    from portal.consultations import services

    from .conftest import write

    thread = write(resident, subject="秘密の件名", body="秘密の本文")
    thread = services.draft_save(actor=counsellor, thread=thread, body="返信の中身です", based_on_version=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_send(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    sent = mail.outbox[-1]
    stored = OutboundEmail.objects.get(to=resident.email)
    for text in (sent.subject, sent.body, stored.subject, stored.body_text):
        assert "返信の中身です" not in text
        assert "秘密の件名" not in text and "秘密の本文" not in text
        assert resident.nickname not in text
        assert resident.user_number not in text
    assert "お返事が届いています" in sent.subject
    assert "お返事が届いています" in sent.body


def test_personal_data_guard_warns_and_then_lets_the_resident_send(resident):
    from .conftest import resident_client

    c = resident_client(resident)
    data = {"subject": "相談", "relation": "person", "body": "山田太郎です。電話は090-1234-5678です。"}
    first = c.post(reverse("consultations:thread_new"), data)
    assert first.status_code == 200
    assert 'name="acknowledged"' in first.content.decode()
    assert not Thread.objects.filter(resident=resident).exists()

    second = c.post(reverse("consultations:thread_new"), {**data, "acknowledged": "True"})
    assert second.status_code == 302
    assert Thread.objects.filter(resident=resident).exists()
