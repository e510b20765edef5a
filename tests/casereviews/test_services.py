import datetime as dt

import jpholiday
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from portal.casereviews import selectors, services
from portal.casereviews.models import Case, CaseTransition, PersonalDataConfirmation, PurgeRecord
from portal.core.models import AuditEvent, Notification

from .conftest import CLEAN_CASE, png_upload, submit_confirming_every_finding, submitted_case

S = Case.Status


@pytest.mark.django_db
def test_guard_blocks_submission_until_each_finding_is_edited_or_confirmed(org_a, member_a, coordinator):
    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={**CLEAN_CASE, "history": "山田太郎さん（H10.7.15生）の母から、090-1234-5678で相談があった。"},
    )

    with pytest.raises(services.PersonalDataFound) as found:
        services.case_submit(actor=member_a, case=case)
    kinds = sorted(f.kind for f in found.value.findings["history"])
    assert kinds == ["birthdate", "name", "phone"]

    # the submitter edits the phone and the birthdate away and keeps the name, confirming it
    case = services.case_save(
        actor=member_a,
        case=case,
        based_on_version=case.version,
        data={**CLEAN_CASE, "history": "山田太郎さんの母から相談があった。"},
    )
    with pytest.raises(services.PersonalDataFound) as found:
        services.case_submit(actor=member_a, case=case)
    (name_finding,) = found.value.findings["history"]
    key = services.finding_key("history", name_finding)
    case = services.case_submit(actor=member_a, case=case, confirmed={key})

    assert case.status == S.SUBMITTED
    confirmation = PersonalDataConfirmation.objects.get(case=case)
    assert (confirmation.field, confirmation.kind, confirmation.confirmed_by) == ("history", "name", member_a)
    assert "山田" not in confirmation.text_hash
    assert Notification.objects.filter(user=coordinator, title__contains=case.reference).exists()


@pytest.mark.django_db
def test_clean_case_text_is_not_flagged(org_a, member_a):
    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={
            **CLEAN_CASE,
            "history": "母（70代）と二人暮らし。ひきこもり歴15年。"
            "令和5年4月1日から八王子市の窓口に通う。兄は別居。",
        },
    )

    assert services.case_submit(actor=member_a, case=case).status == S.SUBMITTED


@pytest.mark.django_db
def test_incomplete_case_cannot_be_submitted(org_a, member_a):
    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={**CLEAN_CASE, "question": "", "consent": "none", "consent_reason": ""},
    )

    with pytest.raises(ValidationError) as error:
        services.case_submit(actor=member_a, case=case)
    assert set(error.value.message_dict) == {"question", "consent_reason"}


@pytest.mark.django_db
def test_stale_case_save_is_refused(org_a, member_a, admin_a):
    case = services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE)
    services.case_save(
        actor=admin_a, case=case, based_on_version=case.version, data={"difficulty": "新しい内容"}
    )

    with pytest.raises(services.StaleEdit):
        services.case_save(
            actor=member_a, case=case, based_on_version=case.version, data={"difficulty": "古い"}
        )
    case.refresh_from_db()
    assert case.difficulty == "新しい内容"


@pytest.mark.django_db
def test_attachments_are_checked_by_content(org_a, member_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("genogram.png", b"<html>not an image</html>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[fake])
    case = services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[png_upload()])
    assert case.attachments.get().content_type == "image/png"


@pytest.mark.django_db
def test_every_transition_is_recorded(org_a, member_a, coordinator, meeting, panel_expert):
    case = submitted_case(org_a, member_a)
    case = services.case_return(actor=coordinator, case=case, comment="世帯構成を詳しく")
    case = services.case_save(
        actor=member_a, case=case, based_on_version=case.version, data={"household": "本人、母、祖母"}
    )
    case = services.case_submit(actor=member_a, case=case)
    case = services.case_accept(actor=coordinator, case=case)
    case = services.case_schedule(actor=coordinator, case=case, meeting=meeting)
    case = services.case_mark_reviewed(actor=coordinator, case=case)
    services.advice_save(actor=coordinator, case=case, based_on_version=0, content={"summary": "助言の要旨"})
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    services.follow_up_report(actor=member_a, case=case, body="本人と会えた")
    case.refresh_from_db()
    case = services.case_close(actor=coordinator, case=case, comment="終結")

    steps = list(
        CaseTransition.objects.filter(case=case).values_list("from_status", "to_status", "actor__email")
    )
    assert steps == [
        ("draft", "submitted", member_a.email),
        ("submitted", "returned", coordinator.email),
        ("returned", "submitted", member_a.email),
        ("submitted", "accepted", coordinator.email),
        ("accepted", "scheduled", coordinator.email),
        ("scheduled", "reviewed", coordinator.email),
        ("reviewed", "advised", coordinator.email),
        ("advised", "follow_up", member_a.email),
        ("follow_up", "closed", coordinator.email),
    ]
    assert CaseTransition.objects.get(case=case, to_status="returned").comment == "世帯構成を詳しく"
    assert case.closed_at is not None


@pytest.mark.django_db
def test_decline_needs_a_reason_and_ends_the_case(org_a, member_a, coordinator):
    case = submitted_case(org_a, member_a)
    with pytest.raises(ValidationError):
        services.case_decline(actor=coordinator, case=case, reason="")
    case = services.case_decline(actor=coordinator, case=case, reason="多職種専門チームの対象外です")
    assert case.status == S.DECLINED and case.route == "declined"
    with pytest.raises(services.InvalidTransition):
        services.case_accept(actor=coordinator, case=case)


@pytest.mark.django_db
def test_adhoc_consultation_grants_the_expert_until_advice(org_a, member_a, coordinator, other_expert):
    from portal.casereviews.permissions import can_read_case

    case = submitted_case(org_a, member_a)
    case = services.case_assign_adhoc(actor=coordinator, case=case, expert=other_expert)
    assert can_read_case(other_expert, case)
    services.advice_save(actor=other_expert, case=case, based_on_version=0, content={"legal": "法的な整理"})
    services.advice_save(actor=coordinator, case=case, based_on_version=1, content={"summary": "まとめ"})
    services.advice_issue(actor=coordinator, case=case)

    other_expert.refresh_from_db()
    case.refresh_from_db()
    assert not can_read_case(type(other_expert).objects.get(pk=other_expert.pk), case)
    assert case.advice.legal == "法的な整理"


@pytest.mark.django_db
def test_experts_see_cases_only_while_on_their_meeting(
    org_a, member_a, coordinator, meeting, panel_expert, other_expert
):
    from portal.casereviews.permissions import can_read_case

    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
    assert not can_read_case(panel_expert, case)
    case = services.case_schedule(actor=coordinator, case=case, meeting=meeting)

    def fresh(u):
        return type(u).objects.get(pk=u.pk)

    assert can_read_case(fresh(panel_expert), case)
    assert not can_read_case(fresh(other_expert), case)
    # panel change: the new member gains access, the removed one loses it
    meeting.refresh_from_db()
    services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        based_on_version=meeting.version,
        starts_at=meeting.starts_at,
        venue=meeting.venue,
        online_url="",
        capacity=3,
        panel=[other_expert],
    )
    assert can_read_case(fresh(other_expert), case) and not can_read_case(fresh(panel_expert), case)


@pytest.mark.django_db
def test_meeting_capacity_is_never_oversold(org_a, member_a, coordinator, meeting):
    cases = [services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)) for _ in range(4)]
    for case in cases[:3]:
        services.case_schedule(actor=coordinator, case=case, meeting=meeting)

    with pytest.raises(services.MeetingFull):
        services.case_schedule(actor=coordinator, case=cases[3], meeting=meeting)
    assert sorted(Case.objects.filter(meeting=meeting).values_list("slot", flat=True)) == [1, 2, 3]
    cases[3].refresh_from_db()
    assert cases[3].status == S.ACCEPTED
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            based_on_version=meeting.version,
            starts_at=meeting.starts_at,
            venue="",
            online_url="",
            capacity=2,
            panel=[],
        )


@pytest.mark.django_db
def test_meetings_every_other_month_never_on_a_holiday(coordinator):
    meetings = services.meetings_generate(actor=coordinator, fiscal_year=2026)

    days = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert [d.month for d in days] == [5, 7, 9, 11, 1, 3]
    assert all(d.weekday() < 5 and not jpholiday.is_holiday(d) for d in days)
    assert [m.capacity for m in meetings] == [3] * 6 and meetings[0].ends_at - meetings[
        0
    ].starts_at == dt.timedelta(minutes=120)
    assert services.meetings_generate(actor=coordinator, fiscal_year=2026) == [], "idempotent"


def test_meeting_date_on_a_holiday_moves_to_the_next_business_day():
    # 2nd Thursday of November 2029 is 11-08; make sure holiday shifting works on a known holiday:
    # 2026-09-22 (国民の休日) / 2026-09-23 (秋分の日): the 4th Tuesday of September 2026 is 09-22.
    days = services.meeting_dates(2026, months=(9,), weekday=1, nth=4)
    assert days == [dt.date(2026, 9, 24)]


@pytest.mark.django_db(transaction=True)
def test_scheduling_invites_the_municipality_with_ics(org_a, member_a, admin_a, coordinator, meeting):
    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
    mail.outbox.clear()

    services.case_schedule(actor=coordinator, case=case, meeting=meeting)

    invites = [m for m in mail.outbox if m.attachments]
    assert {m.to[0] for m in invites} == {member_a.email, admin_a.email}
    event = Calendar.from_ical(invites[0].attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at


@pytest.mark.django_db
def test_attendance_answer(org_a, member_a, coordinator, meeting):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    case = services.attendance_respond(actor=member_a, case=case, attend=True)
    assert case.attendance == Case.Attendance.ACCEPTED


@pytest.mark.django_db
def test_meeting_reminders_seven_and_one_day_before(org_a, member_a, coordinator, meeting, panel_expert):
    day = timezone.localtime(meeting.starts_at).date()
    assert services.send_meeting_reminders(today=day - dt.timedelta(days=7)) == 1
    assert services.send_meeting_reminders(today=day - dt.timedelta(days=7)) == 0
    assert services.send_meeting_reminders(today=day - dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(user=panel_expert, title__contains="リマインド").count() == 2


@pytest.mark.django_db
def test_stale_advice_edit_is_refused_and_revisions_kept(org_a, member_a, coordinator, meeting, panel_expert):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    services.advice_save(actor=coordinator, case=case, based_on_version=0, content={"summary": "第1稿"})
    services.advice_save(actor=panel_expert, case=case, based_on_version=1, content={"medical": "医療の所見"})

    with pytest.raises(services.StaleEdit):
        services.advice_save(
            actor=coordinator, case=case, based_on_version=1, content={"summary": "古い版から"}
        )
    advice = case.advice
    advice.refresh_from_db()
    assert advice.summary == "第1稿" and advice.medical == "医療の所見"
    assert [r.number for r in advice.revisions.all()] == [1, 2]


@pytest.mark.django_db
def test_experts_write_only_their_own_discipline(org_a, member_a, coordinator, meeting, panel_expert):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    advice = services.advice_save(
        actor=panel_expert,
        case=case,
        based_on_version=0,
        content={"medical": "所見", "summary": "勝手に書いたまとめ"},
    )
    assert advice.medical == "所見" and advice.summary == ""


@pytest.mark.django_db
def test_report_reminder_after_three_months(org_a, member_a, coordinator, other_expert):
    case = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=other_expert
    )
    services.advice_save(actor=coordinator, case=case, based_on_version=0, content={"summary": "まとめ"})
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    assert case.report_due == timezone.localdate() + dt.timedelta(days=0) + (
        case.report_due - timezone.localdate()
    )
    assert (case.report_due - timezone.localdate()).days in range(89, 93)

    assert services.send_report_reminders(today=case.report_due - dt.timedelta(days=1)) == 0
    assert services.send_report_reminders(today=case.report_due) == 1
    assert services.send_report_reminders(today=case.report_due) == 0


@pytest.mark.django_db
def test_retention_purges_narrative_and_keeps_statistics(org_a, member_a, coordinator, other_expert):
    case = services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[png_upload()])
    case = submit_confirming_every_finding(member_a, case)
    case = services.case_assign_adhoc(actor=coordinator, case=case, expert=other_expert)
    services.advice_save(actor=coordinator, case=case, based_on_version=0, content={"summary": "まとめ"})
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    case = services.case_close(actor=coordinator, case=case)

    assert list(services.purge_candidates()) == []
    later = timezone.now() + dt.timedelta(days=5 * 366)
    assert list(services.purge_candidates(now=later)) == [case]
    assert services.purge_due_cases(now=later) == 1

    case.refresh_from_db()
    assert case.history == "" and case.question == "" and case.purged_at is not None
    assert case.attachments.count() == 0 and case.advice.summary == ""
    assert case.disciplines == ["medical", "welfare"] and case.route == "adhoc" and case.organization == org_a
    record = PurgeRecord.objects.get(case=case)
    assert "history" in record.fields and record.attachments == 1
    assert AuditEvent.objects.filter(action="case.purge", object_id=str(case.pk)).exists()
    rows = selectors.statistics_rows(case.fiscal_year)
    assert rows["対応方法別"] == [["随時のコンサルテーション", 1]]


@pytest.mark.django_db
def test_purge_dry_run_command_lists_without_changing(org_a, member_a, coordinator, other_expert, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.CASE_RETENTION_YEARS = 0
    case = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=other_expert
    )
    services.advice_save(actor=coordinator, case=case, based_on_version=0, content={"summary": "まとめ"})
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    services.case_close(actor=coordinator, case=case)
    out = StringIO()

    call_command("purge_cases", "--dry-run", stdout=out)

    assert case.reference in out.getvalue() and "dry run" in out.getvalue()
    case.refresh_from_db()
    assert case.purged_at is None and case.question


@pytest.mark.django_db
def test_personal_calendar_feed(client, org_a, member_a, coordinator, meeting, panel_expert):
    from portal.core import feeds

    services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    token = feeds.feed_renew(actor=panel_expert)

    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == [str(meeting)]

    member_token = feeds.feed_renew(actor=member_a)
    member_events = Calendar.from_ical(client.get(f"/calendar/feed/{member_token}.ics").content).walk(
        "VEVENT"
    )
    assert len(member_events) == 1 and "C" in str(member_events[0]["summary"])

    new_token = feeds.feed_renew(actor=panel_expert)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404, "the old URL is revoked"
    assert client.get(f"/calendar/feed/{new_token}.ics").status_code == 200


@pytest.mark.django_db
def test_case_reads_are_audited_and_coordinators_see_readers(client, org_a, member_a, coordinator):
    case = submitted_case(org_a, member_a)
    client.force_login(member_a)
    client.get(f"/cases/{case.pk}/")
    client.force_login(coordinator)

    response = client.get(f"/cases/{case.pk}/")

    readers = [e.actor_email for e in response.context["readers"]]
    assert member_a.email in readers and coordinator.email in readers


@pytest.mark.django_db
def test_partner_cannot_create_a_case(partner, partner_member):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.case_create(actor=partner_member, organization=partner, data=CLEAN_CASE)
