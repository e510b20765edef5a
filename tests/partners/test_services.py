import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from portal.core import capacity
from portal.partners import services
from portal.partners.models import AvailabilityException, Consultation

from .conftest import JST, NOW

C = Consultation.Status


def request(
    actor,
    org,
    *,
    hold=None,
    expert=None,
    preferred=(),
    description="会計の進め方について",
    confirmed=frozenset(),
):
    return services.request_create(
        actor=actor,
        organization=org,
        field="legal",
        topic="契約書の確認",
        description=description,
        fmt="online",
        attendees=[actor],
        hold=hold,
        expert=expert,
        preferred_dates=preferred,
        confirmed=confirmed,
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_slots_follow_weekly_hours_notice_and_buffer(lawyer):
    slots = services.available_slots(lawyer, days=8)

    starts = [s.astimezone(JST).strftime("%a %d %H:%M") for s, _e in slots]
    # Monday 1 June is inside the 48-hour notice; Wed 3 June and Mon 8 June are open, 13:00-17:00,
    # one-hour slots with a 15-minute buffer: 13:00, 14:15, 15:30 (16:45 would end after 17:00).
    assert starts == [
        "Wed 03 13:00",
        "Wed 03 14:15",
        "Wed 03 15:30",
        "Mon 08 13:00",
        "Mon 08 14:15",
        "Mon 08 15:30",
    ]


@time_machine.travel(dt.datetime(2026, 9, 14, 0, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.django_db
def test_japanese_holidays_are_closed_unless_opened(lawyer):
    # 2026-09-21 (Mon) is 敬老の日, 2026-09-23 (Wed) 秋分の日.
    days = {s.astimezone(JST).date() for s, _e in services.available_slots(lawyer, days=10)}
    assert dt.date(2026, 9, 21) not in days and dt.date(2026, 9, 23) not in days

    AvailabilityException.objects.create(
        schedule=lawyer.schedule, date=dt.date(2026, 9, 21), kind="open", start=dt.time(10), end=dt.time(12)
    )
    days = {s.astimezone(JST).date() for s, _e in services.available_slots(lawyer, days=10)}
    assert dt.date(2026, 9, 21) in days


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_days_off_remove_slots(lawyer):
    AvailabilityException.objects.create(schedule=lawyer.schedule, date=dt.date(2026, 6, 3), kind="closed")
    assert all(
        s.astimezone(JST).date() != dt.date(2026, 6, 3) for s, _e in services.available_slots(lawyer, days=8)
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db(transaction=True)
def test_hold_request_confirm_with_ics(lawyer, npo, npo_staff, coordinator):
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    assert start not in [s for s, _e in services.available_slots(lawyer, days=8)], (
        "a held slot is not offered"
    )

    c = request(npo_staff, npo, hold=held)
    assert c.status == C.REQUESTED and c.expert == lawyer.user and c.starts_at == start
    mail.outbox.clear()
    c = services.consultation_confirm(actor=coordinator, consultation=c)

    assert c.status == C.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {npo_staff.email, lawyer.user.email}
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == start


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_held_slot_cannot_be_taken_by_another_organisation(lawyer, npo_staff, coordinator):
    from ..factories import MembershipFactory, PartnerFactory

    other = MembershipFactory(organization=PartnerFactory()).user
    start, _end = services.available_slots(lawyer, days=8)[0]
    services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)

    with pytest.raises(capacity.Full):
        services.hold_slot(actor=other, expert=lawyer, starts_at=start)


@pytest.mark.django_db
def test_an_expired_hold_is_refused_if_the_slot_was_taken(lawyer, npo, npo_staff):
    from ..factories import MembershipFactory, PartnerFactory

    other_org = PartnerFactory()
    other = MembershipFactory(organization=other_org).user
    with time_machine.travel(NOW, tick=False) as traveller:
        start, _end = services.available_slots(lawyer, days=8)[0]
        mine = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
        traveller.shift(dt.timedelta(minutes=capacity.HOLD_MINUTES + 1))
        theirs = services.hold_slot(actor=other, expert=lawyer, starts_at=start)
        request(other, other_org, hold=theirs)

        with pytest.raises(capacity.HoldExpired):
            request(npo_staff, npo, hold=mine)


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_preferred_dates_then_the_coordinator_books(lawyer, npo, npo_staff, coordinator):
    c = request(npo_staff, npo, preferred=[dt.date(2026, 6, 3), dt.date(2026, 6, 8)])
    assert c.expert is None and c.preferred_dates == ["2026-06-03", "2026-06-08"]

    start = dt.datetime(2026, 6, 8, 13, 0, tzinfo=JST)
    c = services.consultation_confirm(actor=coordinator, consultation=c, expert=lawyer, starts_at=start)

    assert c.status == C.CONFIRMED and c.starts_at == start and c.expert == lawyer.user


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_request_needs_a_slot_or_preferred_dates(npo, npo_staff):
    with pytest.raises(ValidationError):
        request(npo_staff, npo)


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_description_is_checked_for_clients_personal_data(npo, npo_staff):
    text = "利用者の佐藤健一さん（090-1111-2222）への対応について"
    with pytest.raises(services.PersonalDataFound) as found:
        request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)], description=text)
    keys = {services.finding_key(f) for f in found.value.findings}
    assert {f.kind for f in found.value.findings} == {"name", "phone"}

    c = request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)], description=text, confirmed=keys)
    assert c.pk


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_annual_quota_per_field_with_exceptions(npo, npo_staff, coordinator, settings):
    settings.TALENT_BANK_DEFAULT_QUOTA = 2
    request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)])
    request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)])

    with pytest.raises(services.QuotaReached) as reached:
        request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)])
    assert "2" in reached.value.messages[0] and "令和8年度" in reached.value.messages[0]

    services.quota_grant_exception(
        actor=coordinator,
        organization=npo,
        field="legal",
        fiscal_year=2026,
        extra=1,
        reason="緊急の法的課題のため",
    )
    assert request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)]).pk


@pytest.mark.django_db
def test_cancel_until_two_business_days_before_then_only_the_coordinator(lawyer, npo, npo_staff, coordinator):
    with time_machine.travel(NOW, tick=False):
        start = dt.datetime(2026, 6, 8, 13, 0, tzinfo=JST)  # Monday
        c = request(npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start))
        c = services.consultation_confirm(actor=coordinator, consultation=c)
    # two business days before Monday 8 June is Thursday 4 June
    assert services.change_deadline(c) == dt.date(2026, 6, 4)
    with pytest.raises(ValidationError):
        services.consultation_cancel(actor=npo_staff, consultation=c, today=dt.date(2026, 6, 5))
    c = services.consultation_cancel(actor=coordinator, consultation=c, today=dt.date(2026, 6, 5))
    assert c.status == C.CANCELLED


@pytest.mark.django_db
def test_business_days_skip_holidays_for_the_deadline(lawyer, npo, npo_staff, coordinator):
    # Consultation on Thursday 24 Sept 2026; 21, 22 and 23 Sept are holidays and 19-20 a weekend, so
    # the business days before it are Fri 18 (one) and Thu 17 (two).
    from portal.partners.models import WeeklyHours

    WeeklyHours.objects.create(schedule=lawyer.schedule, weekday=3, start=dt.time(13), end=dt.time(17))
    with time_machine.travel(dt.datetime(2026, 9, 14, tzinfo=dt.UTC), tick=False):
        start = dt.datetime(2026, 9, 24, 13, 0, tzinfo=JST)
        c = request(npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start))
    assert services.change_deadline(c) == dt.date(2026, 9, 17)
    assert services.can_change(npo_staff, c, today=dt.date(2026, 9, 17))
    assert not services.can_change(npo_staff, c, today=dt.date(2026, 9, 18))


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db(transaction=True)
def test_reschedule_moves_the_booking_and_sends_an_update(lawyer, npo, npo_staff, coordinator):
    slots = services.available_slots(lawyer, days=8)
    c = request(
        npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[0][0])
    )
    c = services.consultation_confirm(actor=coordinator, consultation=c)
    mail.outbox.clear()

    c = services.consultation_reschedule(actor=npo_staff, consultation=c, starts_at=slots[3][0])

    assert c.starts_at == slots[3][0] and c.sequence == 1
    free = [s for s, _e in services.available_slots(lawyer, days=8)]
    assert slots[0][0] in free and slots[3][0] not in free
    assert (
        mail.outbox
        and int(Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]["sequence"]) == 1
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_decline_releases_the_slot(lawyer, npo, npo_staff, coordinator):
    start = services.available_slots(lawyer, days=8)[0][0]
    c = request(npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start))

    services.consultation_decline(actor=coordinator, consultation=c, reason="専門家の都合がつかないため")

    assert start in [s for s, _e in services.available_slots(lawyer, days=8)]


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_record_feedback_and_no_show(lawyer, npo, npo_staff, coordinator):
    slots = services.available_slots(lawyer, days=8)
    c = request(
        npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[0][0])
    )
    c = services.consultation_confirm(actor=coordinator, consultation=c)
    with pytest.raises(PermissionDenied):
        services.record_write(actor=npo_staff, consultation=c, summary="x", private_notes="")
    with pytest.raises(ValidationError, match="相談が始まってから"):
        services.record_write(actor=lawyer.user, consultation=c, summary="始まる前", private_notes="")
    c.refresh_from_db()
    assert c.status == C.CONFIRMED and not hasattr(c, "record")
    with pytest.raises(ValidationError):
        services.feedback_give(actor=npo_staff, consultation=c, rating=5)
    services.record_write(
        actor=lawyer.user,
        consultation=c,
        summary="契約書の条項を見直す",
        private_notes="要フォロー",
        now=c.starts_at + dt.timedelta(minutes=5),
    )
    c.refresh_from_db()
    assert c.status == C.COMPLETED
    assert (
        services.feedback_give(actor=npo_staff, consultation=c, rating=5, comment="助かりました").rating == 5
    )

    other = request(
        npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[1][0])
    )
    other = services.consultation_confirm(actor=coordinator, consultation=other)
    assert services.consultation_no_show(actor=coordinator, consultation=other).status == C.NO_SHOW


@pytest.mark.django_db
def test_inactive_partner_cannot_request(npo, npo_staff, coordinator):
    from portal.accounts import services as account_services

    account_services.organization_set_active(actor=coordinator, organization=npo, active=False)
    npo.refresh_from_db()
    with pytest.raises(ValidationError):
        request(npo_staff, npo, preferred=[dt.date(2026, 6, 3)])


@pytest.mark.django_db
def test_municipality_cannot_request(org_a, admin_a):
    with pytest.raises(PermissionDenied):
        request(admin_a, org_a, preferred=[dt.date(2026, 6, 3)])


@pytest.mark.django_db(transaction=True)
def test_reminders_three_days_and_one_day_before(lawyer, npo, npo_staff, coordinator):
    with time_machine.travel(NOW, tick=False):
        start = dt.datetime(2026, 6, 8, 13, 0, tzinfo=JST)
        c = request(npo_staff, npo, hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start))
        services.consultation_confirm(actor=coordinator, consultation=c)
    assert services.send_reminders(today=dt.date(2026, 6, 5)) == 1
    assert services.send_reminders(today=dt.date(2026, 6, 5)) == 0
    assert services.send_reminders(today=dt.date(2026, 6, 7)) == 1


@pytest.mark.django_db
def test_coordinator_keeps_an_experts_availability(lawyer, coordinator, npo_staff, client):
    client.force_login(coordinator)
    url = f"/talent-bank/availability/?expert={lawyer.pk}"

    assert client.get(url).status_code == 200
    client.post(
        url, {"form": "weekly", "expert": lawyer.pk, "w-weekday": 4, "w-start": "10:00", "w-end": "12:00"}
    )

    assert lawyer.schedule.weekly.filter(weekday=4).exists()
    client.force_login(npo_staff)
    assert client.get(url).status_code == 403
