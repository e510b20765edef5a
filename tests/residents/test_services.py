import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.core import capacity
from portal.core.dates import fiscal_year_of, is_business_day
from portal.core.models import OutboundEmail, SeatMode, SeatStatus
from portal.residents import services
from portal.residents.models import ConsultationDay, IndividualApplication, Seminar

from .conftest import apply, apply_seminar

A = IndividualApplication.Status
pytestmark = pytest.mark.django_db


def test_default_schedule_has_24_weekday_and_12_weekend_days_with_the_seed_times(coordinator):
    fy = fiscal_year_of() + 1
    days = services.schedule_create(actor=coordinator, fiscal_year=fy)

    weekday = [d for d in days if d.kind == ConsultationDay.Kind.WEEKDAY]
    weekend = [d for d in days if d.kind == ConsultationDay.Kind.WEEKEND]
    assert (len(weekday), len(weekend)) == (24, 12)
    assert all(is_business_day(d.date) for d in weekday)
    assert all(d.date.weekday() >= 5 for d in weekend)
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in weekday[0].slots.all()] == [
        "10:00",
        "11:15",
        "13:15",
        "14:30",
    ]
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in weekend[0].slots.all()] == [
        "15:15",
        "16:30",
    ]
    assert {d.venue for d in days} == {"adachi", "hachioji"}
    assert all(is_business_day(d.deadline) and d.deadline < d.date for d in days)
    assert Seminar.objects.filter(fiscal_year=fy).count() == 12
    assert all(
        s.consultation_day.date == timezone.localtime(s.starts_at).date() for s in Seminar.objects.all()
    )


def test_deadline_closes_at_17_on_the_deadline_date(day):
    before = dt.datetime.combine(day.deadline, dt.time(16, 59), tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert day.is_open(before)
    assert not day.is_open(before + dt.timedelta(minutes=1))


def test_apply_then_assign_sends_receipt_and_confirmation_with_ics(day):
    slots = list(day.slots.all())
    application = apply(slots[:3])
    assert application.status == A.RECEIVED
    assert "個別相談" in OutboundEmail.objects.get(kind="residents/email/individual_received").subject

    done = services.individual_assign(actor=None, application=application, slot=slots[1])

    assert done.status == A.CONFIRMED and done.reservation.status == "booked"
    letter = OutboundEmail.objects.get(kind="residents/email/individual_confirmed")
    assert letter.to == "hanako@example.jp"
    assert [a["filename"] for a in letter.attachments] == ["kobetsu-soudan.ics"]


def test_a_time_takes_two_pairs_and_never_a_third(day, coordinator):
    slot = day.slots.first()
    apps = [apply([slot]) for _ in range(3)]
    services.individual_assign(actor=coordinator, application=apps[0], slot=slot)
    services.individual_assign(actor=coordinator, application=apps[1], slot=slot)

    with pytest.raises(services.SlotFull):
        services.individual_assign(actor=coordinator, application=apps[2], slot=slot)
    assert IndividualApplication.objects.filter(slot=slot, status=A.CONFIRMED).count() == 2


def test_a_freed_time_is_offered_to_the_first_waiting_application_for_a_limited_time(day, coordinator):
    slot = day.slots.first()
    first, second, waiting = apply([slot]), apply([slot]), apply([slot])
    services.individual_assign(actor=coordinator, application=first, slot=slot)
    services.individual_assign(actor=coordinator, application=second, slot=slot)
    services.individual_waitlist(actor=coordinator, application=waiting)

    services.individual_cancel(application=first)

    waiting.refresh_from_db()
    assert waiting.status == A.OFFERED and waiting.slot == slot and waiting.offer_expires_at
    services.individual_accept(application=waiting)
    waiting.refresh_from_db()
    assert waiting.status == A.CONFIRMED


def test_an_offer_that_ran_out_goes_back_and_is_not_accepted(day, coordinator):
    slot = day.slots.first()
    a = apply([slot])
    services.individual_assign(actor=coordinator, application=a, slot=slot, offer=True)
    later = timezone.now() + dt.timedelta(hours=49)

    assert services.expire_individual_offers(now=later) == 1
    a.refresh_from_db()
    assert a.status == A.CANCELLED
    with pytest.raises(ValidationError):
        services.individual_accept(application=a)


def test_web_application_after_the_deadline_is_refused_but_staff_may_enter_it(day, coordinator):
    slot = day.slots.first()
    late = day.deadline_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.individual_apply(data={}, preferences=[slot], now=late)
    from .conftest import APPLICANT

    app = services.individual_apply(
        data=APPLICANT, preferences=[slot], now=late, channel="phone", actor=coordinator
    )
    assert app.channel == "phone" and app.entered_by == coordinator


def test_seminar_venue_has_15_seats_and_online_is_beyond_capacity(seminar):
    apps = [apply_seminar([seminar]) for _ in range(16)]
    online = apply_seminar([seminar], mode=SeatMode.ONLINE)

    statuses = [a.seats.get().status for a in apps]
    assert statuses.count(SeatStatus.CONFIRMED) == 15
    assert statuses[-1] == SeatStatus.WAITLISTED
    assert online.seats.get().status == SeatStatus.CONFIRMED


def test_seminar_application_for_several_dates_takes_a_seat_at_each(seminar, coordinator, weekend_day):
    other_day = weekend_day.date + dt.timedelta(days=7)
    other = services.seminar_create(
        actor=coordinator,
        fiscal_year=seminar.fiscal_year,
        number=2,
        date=other_day,
        venue="adachi",
        theme="二回目",
        lecturer="家族会",
    )
    application = apply_seminar([seminar, other])
    assert application.seats.filter(status=SeatStatus.CONFIRMED).count() == 2


def test_zoom_link_only_goes_to_confirmed_online_participants(seminar):
    apply_seminar([seminar], mode=SeatMode.VENUE, email="venue@example.jp")
    apply_seminar([seminar], mode=SeatMode.ONLINE, email="online@example.jp")
    venue_letter = OutboundEmail.objects.get(to="venue@example.jp").body_text
    online_letter = OutboundEmail.objects.get(to="online@example.jp").body_text

    assert seminar.online_url not in venue_letter
    assert seminar.online_url in online_letter


def test_cancel_frees_the_seat_for_the_next_in_line(seminar):
    seminar.capacity = 1
    seminar.save()
    first = apply_seminar([seminar])
    second = apply_seminar([seminar])
    assert second.seats.get().status == SeatStatus.WAITLISTED

    services.seminar_application_cancel(application=first)

    assert second.seats.get().status == SeatStatus.OFFERED


def test_reminders_3_days_and_1_day_before_once_each_and_late_safe(day, coordinator):
    slot = day.slots.first()
    a = apply([slot])
    services.individual_assign(actor=coordinator, application=a, slot=slot)
    OutboundEmail.objects.all().delete()

    assert services.send_reminders(today=day.date - dt.timedelta(days=5)) == 0
    assert services.send_reminders(today=day.date - dt.timedelta(days=2)) == 1  # the 3-day one, a day late
    assert services.send_reminders(today=day.date - dt.timedelta(days=2)) == 0  # run twice: nothing more
    assert services.send_reminders(today=day.date - dt.timedelta(days=1)) == 1
    assert services.send_reminders(today=day.date - dt.timedelta(days=1)) == 0
    assert OutboundEmail.objects.filter(kind="residents/email/individual_reminder").count() == 2


def test_attendance_waits_for_the_time(day, coordinator):
    slot = day.slots.first()
    a = services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot)
    with pytest.raises(ValidationError):
        services.individual_attendance(actor=coordinator, application=a, attendance="attended")
    done = services.individual_attendance(
        actor=coordinator, application=a, attendance="attended", now=slot.starts_at + dt.timedelta(minutes=5)
    )
    assert done.attendance == "attended"


def test_capacity_resource_is_the_engines_own(day, coordinator):
    slot = day.slots.first()
    services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot)
    assert capacity.CapacityResource.objects.get(key=slot.capacity_key).capacity == 2


def test_reference_data_gives_every_install_the_five_public_pages():
    from portal.residents.demo import load_pages
    from portal.residents.models import Page

    assert load_pages() == 5
    assert load_pages() == 0
    assert all(p.is_public for p in Page.objects.all())
