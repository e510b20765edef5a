"""The counsellors' inbox: due dates in business days, overdue warnings, review, stale edits, audit."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.consultations import selectors, services
from portal.consultations.models import Thread
from portal.core.exceptions import StaleEdit
from portal.core.models import AuditEvent

from .conftest import write

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def test_due_date_is_three_business_days_after_receipt(resident, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 20, 0, tzinfo=TOKYO))  # a Friday evening
    thread = write(resident)
    assert thread.due_on == dt.date(2026, 12, 9)  # Mon, Tue, Wed


def test_due_date_skips_holidays_and_the_new_year_closure(resident, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 25, 9, 0, tzinfo=TOKYO))  # Friday
    thread = write(resident)
    # 12/28 (Mon) counts; 12/29–1/3 closed; 1/4 (Mon), 1/5 (Tue)
    assert thread.due_on == dt.date(2027, 1, 5)


def test_overdue_appears_on_the_fourth_business_day(client, counsellor, resident, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO))  # Monday
    thread = write(resident)
    client.force_login(counsellor)
    time_machine.move_to(dt.datetime(2026, 12, 10, 16, 0, tzinfo=TOKYO))  # 3rd business day
    client.force_login(counsellor)
    assert (
        reverse("consultations:thread_detail", args=[thread.pk])
        in client.get(reverse("consultations:inbox")).content.decode()
    )
    assert "期日超過" not in client.get(reverse("consultations:inbox")).content.decode()
    assert not services.is_overdue(thread)
    time_machine.move_to(dt.datetime(2026, 12, 11, 9, 0, tzinfo=TOKYO))  # 4th business day
    assert services.is_overdue(thread)
    client.force_login(counsellor)  # a new working day, a new sign-in
    assert "期日超過" in client.get(reverse("consultations:inbox")).content.decode()


def test_inbox_lists_the_longest_wait_first(counsellor, resident, other_resident, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 9, 0, tzinfo=TOKYO))
    older = write(resident)
    time_machine.move_to(dt.datetime(2026, 12, 8, 9, 0, tzinfo=TOKYO))
    newer = write(other_resident)
    assert [t.pk for t in selectors.inbox(counsellor)][:2] == [older.pk, newer.pk]


def test_a_second_counsellor_saving_an_old_version_sees_both_texts(client, counsellor, coordinator, resident):
    thread = write(resident)
    services.draft_save(actor=coordinator, thread=thread, body="先に保存した返信", based_on_version=1)
    with pytest.raises(StaleEdit):
        services.draft_save(actor=counsellor, thread=thread, body="後から", based_on_version=1)

    client.force_login(counsellor)
    response = client.post(
        reverse("consultations:thread_draft", args=[thread.pk]),
        {"draft-body": "私の返信案", "draft-version": 1, "action": "save"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "先に保存した返信" in page and "私の返信案" in page
    thread.refresh_from_db()
    assert thread.draft_body == "先に保存した返信"


def test_review_setting_requires_a_seniors_approval(settings, counsellor, coordinator, resident):
    settings.MAIL_CONSULTATION_REVIEW = True
    thread = write(resident)
    thread = services.draft_save(actor=counsellor, thread=thread, body="返信", based_on_version=1)
    with pytest.raises(ValidationError):
        services.reply_send(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    thread = services.draft_submit(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    with pytest.raises(ValidationError):  # the writer does not approve their own reply
        services.draft_approve(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    thread = services.draft_approve(actor=coordinator, thread=thread, based_on_version=thread.draft_version)
    services.reply_send(actor=counsellor, thread=thread, based_on_version=thread.draft_version)
    assert Thread.objects.get(pk=thread.pk).status == Thread.Status.ANSWERED


def test_reading_and_writing_are_audited(client, counsellor, resident):
    thread = write(resident)
    client.force_login(counsellor)
    client.get(reverse("consultations:thread_detail", args=[thread.pk]))
    client.post(reverse("consultations:thread_note", args=[thread.pk]), {"note-body": "メモ"})
    actions = set(AuditEvent.objects.filter(object_id=str(thread.pk)).values_list("action", flat=True))
    assert {"consultations.thread.create", "consultations.thread.view", "consultations.note.add"} <= actions
    assert not AuditEvent.objects.filter(object_repr__contains=resident.nickname).exists()


def test_reply_templates_fill_an_empty_reply(client, counsellor, resident):
    template = services.template_save(
        actor=counsellor, template=None, title="お礼", body="ご連絡ありがとうございます。", is_active=True
    )
    thread = write(resident)
    client.force_login(counsellor)
    page = client.get(
        reverse("consultations:thread_detail", args=[thread.pk]) + f"?template={template.pk}"
    ).content.decode()
    assert "ご連絡ありがとうございます。" in page
