import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.core.models import OutboundEmail, Reservation
from portal.outreach import permissions, services
from portal.outreach.models import OutreachHost, SlotBooking, VisitReferral

from .conftest import BOOKING, agree, book, plan_dates, refer

pytestmark = pytest.mark.django_db


def test_host_add_creates_two_days_of_six_45_minute_slots(host):
    days = list(host.days.order_by("date"))
    assert [d.date for d in days] == plan_dates()
    for day in days:
        slots = list(day.slots.all())
        assert len(slots) == 6
        assert all((s.ends_at - s.starts_at) == dt.timedelta(minutes=45) for s in slots)
        assert timezone.localtime(slots[0].starts_at).time() == dt.time(10, 0)
        assert day.starts_at == slots[0].starts_at and day.ends_at == slots[-1].ends_at


def test_host_agree_requires_facility_and_deadline(host, member_a):
    with pytest.raises(ValidationError) as exc:
        services.host_save(
            actor=member_a,
            host=host,
            data={"facility_name": "会館"},
            based_on_version=host.version,
            agree=True,
        )
    assert "facility_address" in exc.value.message_dict and "application_deadline" in exc.value.message_dict
    host.refresh_from_db()
    assert host.status == OutreachHost.Status.PROPOSED and host.facility_name == ""


def test_host_save_refuses_a_stale_version(host, member_a, coordinator):
    agree(host, member_a)
    with pytest.raises(services.StaleEdit):
        services.host_save(actor=coordinator, host=host, data={"room": "別室"}, based_on_version=host.version)


def test_host_of_another_municipality_cannot_edit(host, admin_b):
    with pytest.raises(PermissionDenied):
        services.host_save(actor=admin_b, host=host, data={"room": "x"}, based_on_version=host.version)


def test_publish_needs_agreement_first(host, coordinator):
    with pytest.raises(services.InvalidTransition):
        services.host_publish(actor=coordinator, host=host)


def test_a_slot_is_booked_once_and_the_second_is_refused(day, member_a, member_b, org_a, org_b):
    slot = day.slots.first()
    first = book(member_a, org_a, day, slot)
    with pytest.raises(services.SlotTaken):
        book(member_b, org_b, day, slot)
    assert first.status == SlotBooking.Status.CONFIRMED
    assert SlotBooking.objects.filter(slot=slot, status="confirmed").count() == 1
    assert Reservation.objects.filter(status="booked").count() == 1


def test_the_database_refuses_a_second_confirmed_booking_of_a_slot(day, member_a, org_a):
    from django.db import IntegrityError, transaction

    slot = day.slots.first()
    first = book(member_a, org_a, day, slot)
    twin = SlotBooking(
        day=day,
        slot=slot,
        organization=org_a,
        booked_by=member_a,
        status="confirmed",
        resident_municipality=org_a,
        **{k: v for k, v in BOOKING.items()},
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert first.pk


def test_cancel_gives_the_slot_to_the_first_on_the_waiting_list(day, member_a, member_b, org_a, org_b):
    slot = day.slots.first()
    taken = book(member_a, org_a, day, slot)
    waiting = book(member_b, org_b, day, None)
    assert waiting.status == SlotBooking.Status.WAITLISTED

    services.booking_cancel(actor=member_a, booking=taken)

    waiting.refresh_from_db()
    assert waiting.status == SlotBooking.Status.CONFIRMED and waiting.slot == slot
    assert waiting.reservation.status == "booked"


def test_booking_text_passes_the_personal_data_guard(day, member_a, org_a):
    with pytest.raises(services.PersonalDataFound) as exc:
        book(member_a, org_a, day, day.slots.first(), contact_route="090-1234-5678 に電話")
    assert "contact_route" in exc.value.findings
    assert not SlotBooking.objects.exists()


def test_only_published_days_can_be_booked(host, member_a, org_a):
    with pytest.raises(PermissionDenied):
        book(member_a, org_a, host.days.first(), host.days.first().slots.first())


def test_the_host_does_not_see_another_municipalitys_booking(day, member_a, member_b, org_b):
    booking = book(member_b, org_b, day, day.slots.first())
    assert list(permissions.visible_bookings(member_b)) == [booking]
    assert list(permissions.visible_bookings(member_a)) == []


def test_record_waits_for_the_slot_and_needs_where_to_when_referred(day, member_a, org_a, coordinator):
    booking = book(member_a, org_a, day, day.slots.first())
    with pytest.raises(ValidationError):
        services.booking_record(actor=coordinator, booking=booking, outcome="held")
    later = booking.slot.starts_at + dt.timedelta(minutes=50)
    with pytest.raises(ValidationError):
        services.booking_record(actor=coordinator, booking=booking, outcome="referred", now=later)
    services.booking_record(
        actor=coordinator, booking=booking, outcome="referred", referred_to="保健所", now=later
    )
    rows = list(services.summary_rows(day.host.plan.fiscal_year))
    assert rows == [[org_a.name, 2, 12, 1, 1, 0, 1, 0]]


def test_day_change_notifies_everyone_with_a_calendar_entry(day, coordinator, second_coordinator, member_a):
    services.day_update(
        actor=coordinator,
        day=day,
        based_on_version=day.version,
        start=dt.time(13, 0),
        slot_count=4,
        slot_minutes=45,
        break_minutes=15,
        staff=[coordinator, second_coordinator],
    )
    day.refresh_from_db()
    assert day.slots.count() == 4 and day.sequence == 1
    mails = OutboundEmail.objects.filter(kind="outreach/email/day")
    assert {m.to for m in mails} >= {member_a.email, coordinator.email, second_coordinator.email}
    assert all("BEGIN:VCALENDAR" in m.attachments[0]["content"] for m in mails)


def test_day_staff_must_be_support_net_staff(day, coordinator, member_a):
    with pytest.raises(ValidationError):
        services.day_update(
            actor=coordinator,
            day=day,
            based_on_version=day.version,
            start=dt.time(10, 0),
            slot_count=6,
            slot_minutes=45,
            break_minutes=15,
            staff=[member_a],
        )


def test_reminders_go_out_seven_days_and_one_day_before_once(day, member_a):
    assert services.send_reminders(today=day.date - dt.timedelta(days=7)) >= 1
    assert services.send_reminders(today=day.date - dt.timedelta(days=7)) == 0
    assert services.send_reminders(today=day.date - dt.timedelta(days=1)) >= 1


# --- referrals ----------------------------------------------------------------------------------------


def test_an_ineligible_referral_is_refused_with_the_reason(member_a, org_a):
    with pytest.raises(ValidationError) as exc:
        refer(member_a, org_a, age=14, withdrawal_months=3)
    assert {"age", "withdrawal_months", "is_exception"} <= set(exc.value.message_dict)
    assert not VisitReferral.objects.exists()


def test_an_ineligible_referral_may_go_as_an_exception_with_a_reason(member_a, org_a):
    with pytest.raises(ValidationError):
        refer(member_a, org_a, withdrawal_months=4, is_exception=True)
    referral = refer(member_a, org_a, withdrawal_months=4, is_exception=True, exception_reason="急速に悪化")
    assert referral.is_exception and referral.status == "submitted"


def test_referral_text_passes_the_personal_data_guard(member_a, org_a):
    with pytest.raises(services.PersonalDataFound):
        refer(member_a, org_a, household="母 山田花子 と同居")


def test_referral_flow_to_five_visits_and_an_extension(member_a, org_a, coordinator):
    referral = refer(member_a, org_a)
    referral = services.referral_triage(actor=coordinator, referral=referral, decision="accept")
    at = timezone.now() + dt.timedelta(days=3)
    referral = services.referral_schedule_interview(
        actor=coordinator, referral=referral, starts_at=at, place="区役所"
    )
    mail = OutboundEmail.objects.get(kind="outreach/email/interview", to=member_a.email)
    assert "BEGIN:VCALENDAR" in mail.attachments[0]["content"]
    with time_machine.travel(at + dt.timedelta(hours=2)):
        referral = services.referral_interview_outcome(
            actor=coordinator, referral=referral, visit=True, note="本人と会えた", for_municipality="訪問開始"
        )
        for n in range(5):
            services.visit_add(
                actor=coordinator,
                referral=referral,
                visited_on=timezone.localdate(),
                staff=[coordinator],
                record=f"{n + 1}回目",
                shared=n == 0,
            )
        with pytest.raises(ValidationError):
            services.visit_add(
                actor=coordinator,
                referral=referral,
                visited_on=timezone.localdate(),
                staff=[coordinator],
                record="6回目",
                shared=False,
            )
        services.referral_extend(actor=coordinator, referral=referral, reason="就労準備まで継続")
        services.visit_add(
            actor=coordinator,
            referral=referral,
            visited_on=timezone.localdate(),
            staff=[coordinator],
            record="6回目",
            shared=False,
        )
    assert referral.visits.count() == 6
    assert [v.number for v in permissions.shared_visits(member_a, referral)] == [1]


def test_decline_needs_a_reason_the_municipality_sees(member_a, org_a, coordinator):
    referral = refer(member_a, org_a)
    with pytest.raises(ValidationError):
        services.referral_triage(actor=coordinator, referral=referral, decision="decline")
    referral = services.referral_triage(
        actor=coordinator, referral=referral, decision="decline", note="区内の支援で対応"
    )
    assert referral.status == "declined" and referral.municipality_note == "区内の支援で対応"


def test_another_municipality_never_sees_a_referral(member_a, org_a, admin_b, coordinator):
    referral = refer(member_a, org_a)
    assert list(permissions.visible_referrals(admin_b)) == []
    assert list(permissions.visible_referrals(coordinator)) == [referral]


def test_purge_erases_the_narrative_after_retention(member_a, org_a, coordinator):
    referral = refer(member_a, org_a)
    services.referral_triage(actor=coordinator, referral=referral, decision="decline", note="対象外")
    later = timezone.now() + dt.timedelta(days=366 * 6)
    assert services.purge_due_referrals(now=later) == 1
    referral.refresh_from_db()
    assert referral.household == "" and referral.pseudonym == "" and referral.purged_at
    assert services.purge_due_referrals(now=later) == 0
