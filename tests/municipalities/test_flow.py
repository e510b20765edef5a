"""invite → draft (two editors, a stale save refused) → submit → return → resubmit → exchange → follow-up."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from portal.core.models import Notification, OutboundEmail
from portal.municipalities import services
from portal.municipalities.models import FollowUpAction, HearingSheet, HearingSheetComment, Participation

from .conftest import SUBMITTABLE


@pytest.mark.django_db(transaction=True)
def test_whole_flow(coordinator, secretariat, org_a, admin_a, member_a):
    programme = services.programme_open(
        actor=coordinator, fiscal_year=2026, hearing_deadline=dt.date(2026, 12, 18)
    )
    assert programme.questions.count() == 22 and programme.sections.count() == 6

    # invite
    services.participation_add(actor=coordinator, programme=programme, organizations=[org_a])
    sheet = HearingSheet.objects.get(programme=programme, organization=org_a)
    invited = {m.to[0] for m in mail.outbox}
    assert invited == {admin_a.email, member_a.email}
    assert "事前ヒアリングシート" in mail.outbox[0].subject

    # two editors: the second saves against a stale version and is refused
    loaded_by_admin = sheet.version
    loaded_by_member = sheet.version
    services.sheet_save(
        actor=admin_a, sheet=sheet, answers={"department": "福祉部"}, based_on_version=loaded_by_admin
    )
    with pytest.raises(services.StaleEdit) as stale:
        services.sheet_save(
            actor=member_a, sheet=sheet, answers={"department": "保健部"}, based_on_version=loaded_by_member
        )
    assert stale.value.current.answers["department"] == "福祉部"
    sheet.refresh_from_db()
    assert sheet.answers["department"] == "福祉部", "the newer save was not overwritten"

    # submit
    sheet = services.sheet_submit(
        actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version
    )
    assert sheet.status == HearingSheet.Status.SUBMITTED
    programme.refresh_from_db()
    assert programme.questions_frozen
    assert Notification.objects.filter(user=coordinator, title__contains="提出しました").exists()

    # return with a comment, then resubmit: history keeps both submissions and the comment
    services.sheet_return(actor=coordinator, sheet=sheet, comment="相談件数の内訳を追記してください。")
    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.RETURNED and sheet.is_editable
    returned_mail = [m for m in mail.outbox if "差戻し" in m.subject]
    assert {m.to[0] for m in returned_mail} == {admin_a.email, member_a.email}
    sheet = services.sheet_submit(
        actor=admin_a,
        sheet=sheet,
        answers={**SUBMITTABLE, "consultations_new": 30},
        based_on_version=sheet.version,
    )
    assert [r.number for r in sheet.revisions.all()] == [1, 2]
    assert sheet.revisions.get(number=1).answers.get("consultations_new") is None
    assert sheet.revisions.get(number=2).answers["consultations_new"] == 30
    assert sheet.comments.get().kind == HearingSheetComment.Kind.RETURN

    # exchange scheduled: each participant gets an email with an ICS invitation
    mail.outbox.clear()
    start = dt.datetime(2026, 12, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    session = services.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://meet.example.jp/abc",
        participants=[coordinator, admin_a],
    )
    assert {m.to[0] for m in mail.outbox} == {coordinator.email, admin_a.email}
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == "exchange.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start
    assert "meet.example.jp" in str(event.get("location"))

    # record and follow-up
    session = services.session_record(
        actor=coordinator, session=session, summary="訪問支援の事例を共有", based_on_version=session.version
    )
    action = services.action_add(
        actor=coordinator,
        session=session,
        description="訪問支援マニュアルを送付",
        owner=coordinator,
        due_date=dt.date(2026, 12, 20),
    )
    services.action_complete(actor=coordinator, action=action)
    action.refresh_from_db()
    assert action.status == FollowUpAction.Status.DONE


@pytest.mark.django_db
def test_municipality_applies_and_coordinator_accepts(coordinator, programme, org_b, admin_b):
    participation = services.participation_apply(
        actor=admin_b, programme=programme, organization=org_b, message="参加を希望します"
    )
    assert participation.status == Participation.Status.APPLIED
    assert Notification.objects.filter(user=coordinator, title__contains="参加申込み").exists()

    services.participation_decide(actor=coordinator, participation=participation, accept=True)

    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACCEPTED
    assert HearingSheet.objects.filter(programme=programme, organization=org_b).exists()


@pytest.mark.django_db
def test_partner_cannot_apply(programme, partner, partner_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.participation_apply(actor=partner_member, programme=programme, organization=partner)


@pytest.mark.django_db
def test_submission_needs_required_answers_but_keeps_the_draft(sheet, member_a):
    with pytest.raises(services.MissingAnswers) as missing:
        services.sheet_submit(
            actor=member_a, sheet=sheet, answers={"department": "福祉部"}, based_on_version=sheet.version
        )

    assert "challenges" in missing.value.keys
    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.DRAFT and sheet.answers["department"] == "福祉部"


@pytest.mark.django_db
def test_questions_freeze_at_first_submission(sheet, member_a, coordinator, programme):
    question = programme.questions.get(key="department")
    services.question_save(actor=coordinator, programme=programme, question=question, label="担当部署名")

    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)

    with pytest.raises(services.QuestionsFrozen):
        services.question_save(actor=coordinator, programme=programme, question=question, label="別の文言")
    with pytest.raises(services.QuestionsFrozen):
        services.question_delete(actor=coordinator, question=question)


@pytest.mark.django_db
def test_old_sheets_show_the_questions_they_answered(sheet, member_a, coordinator, programme, org_a):
    from portal.municipalities import selectors

    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    next_year = services.programme_open(
        actor=coordinator, fiscal_year=2027, hearing_deadline=dt.date(2027, 7, 1)
    )
    q = next_year.questions.get(key="department")
    services.question_save(actor=coordinator, programme=next_year, question=q, label="所管課（新しい文言）")

    _answers, sections = selectors.answers_of(HearingSheet.objects.get(pk=sheet.pk))
    labels = [q["label"] for s in sections for q in s["questions"]]
    assert "担当部署" in labels and "所管課（新しい文言）" not in labels


@pytest.mark.django_db
def test_next_year_copies_questions_and_compares_answers(sheet, member_a, coordinator, org_a):
    from portal.municipalities import selectors

    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    next_year = services.programme_open(
        actor=coordinator, fiscal_year=2027, hearing_deadline=dt.date(2027, 7, 1)
    )
    services.participation_add(actor=coordinator, programme=next_year, organizations=[org_a])
    new = next_year.sheets.get()
    new = services.sheet_save(
        actor=member_a,
        sheet=new,
        answers={**SUBMITTABLE, "consultations_total": 150},
        based_on_version=new.version,
    )

    rows = selectors.comparison(new, selectors.previous_year_sheet(new))

    by_label = {r["label"]: r for r in rows}
    assert by_label["延べ相談件数"]["previous"] == 120 and by_label["延べ相談件数"]["current"] == 150
    assert by_label["延べ相談件数"]["changed"] and not by_label["担当部署"]["changed"]


@pytest.mark.django_db(transaction=True)
def test_deadline_reminders_seven_days_and_one_day_before_once_each(sheet, member_a, admin_a):
    mail.outbox.clear()  # the invitations
    services.send_deadline_reminders(today=dt.date(2026, 12, 10))
    assert len(mail.outbox) == 0

    services.send_deadline_reminders(today=dt.date(2026, 12, 11))
    services.send_deadline_reminders(today=dt.date(2026, 12, 11))
    assert len(mail.outbox) == 2 and "7" in mail.outbox[0].subject

    services.send_deadline_reminders(today=dt.date(2026, 12, 17))
    assert len(mail.outbox) == 4 and "1" in mail.outbox[-1].subject


@pytest.mark.django_db(transaction=True)
def test_submitted_sheets_get_no_deadline_reminder(sheet, member_a):
    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    mail.outbox.clear()

    assert services.send_deadline_reminders(today=dt.date(2026, 12, 17)) == 0


@pytest.mark.django_db
def test_overdue_actions_are_reminded_once_a_day(sheet, coordinator, admin_a):
    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    session = services.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://x.example.jp",
        participants=[admin_a],
    )
    services.action_add(
        actor=coordinator,
        session=session,
        description="連絡会の設置検討",
        owner=admin_a,
        due_date=dt.date(2026, 12, 5),
    )

    assert services.remind_overdue_actions(today=dt.date(2026, 12, 5)) == 0
    assert services.remind_overdue_actions(today=dt.date(2026, 12, 6)) == 1
    assert services.remind_overdue_actions(today=dt.date(2026, 12, 6)) == 0
    assert services.remind_overdue_actions(today=dt.date(2026, 12, 7)) == 1
    assert Notification.objects.filter(user=admin_a, title__contains="期日を過ぎた").count() == 2


@pytest.mark.django_db(transaction=True)
def test_session_change_and_cancel_send_updated_ics(sheet, coordinator, admin_a):
    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    session = services.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://x.example.jp",
        participants=[admin_a],
    )
    session = services.session_update(
        actor=coordinator,
        session=session,
        based_on_version=session.version,
        starts_at=start + dt.timedelta(days=1),
        ends_at=start + dt.timedelta(days=1, hours=1),
        meeting_url="https://x.example.jp",
        participants=[admin_a],
    )
    services.session_cancel(actor=coordinator, session=session)

    icals = [Calendar.from_ical(m.attachments[0][1]) for m in mail.outbox if m.attachments]
    sequences = [int(c.walk("VEVENT")[0]["sequence"]) for c in icals]
    assert sequences == [0, 1, 2]
    assert str(icals[-1]["method"]) == "CANCEL"
    assert len({str(c.walk("VEVENT")[0]["uid"]) for c in icals}) == 1


@pytest.mark.django_db
def test_participants_must_belong_to_the_municipality_or_secretariat(sheet, coordinator, admin_b):
    from django.core.exceptions import ValidationError

    start = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError):
        services.session_schedule(
            actor=coordinator,
            sheet=sheet,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            meeting_url="https://x.example.jp",
            participants=[admin_b],
        )


@pytest.mark.django_db
def test_all_writes_are_audited(sheet, member_a):
    from portal.core.models import AuditEvent

    services.sheet_save(
        actor=member_a, sheet=sheet, answers={"challenges": "非公開の内容"}, based_on_version=sheet.version
    )

    event = AuditEvent.objects.filter(action="hearing_sheet.save").get()
    assert event.details == {"changed": ["challenges"]}
    assert "非公開の内容" not in str(event.details)


@time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
@pytest.mark.django_db
def test_emails_are_stored_in_the_outbox(sheet):
    assert OutboundEmail.objects.filter(kind="municipalities/email/invitation").count() == 2
