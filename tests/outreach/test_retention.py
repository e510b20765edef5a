"""巡回相談 and 訪問相談 after the fact: bookings are erased after their retention, confirmations are
kept as keyed hashes, a day's times can change after a cancellation, a past or recorded booking
stays, and the referral's edit page is an audited read."""

import datetime as dt
import hashlib
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core import pii, purge
from portal.core.models import AuditEvent
from portal.outreach import services
from portal.outreach.models import BookingConfirmation, ReferralConfirmation, SlotBooking

from .conftest import BOOKING, REFERRAL, book, refer

PHONE = "090-1234-5678"

pytestmark = pytest.mark.django_db


def _confirmed_booking(member, org, day, slot):
    data = {**BOOKING, "topic": f"母の携帯{PHONE}", "resident_municipality": org}
    with pytest.raises(services.PersonalDataFound) as found:
        services.booking_create(actor=member, organization=org, day=day, slot=slot, data=data)
    (finding,) = found.value.findings["topic"]
    booking = services.booking_create(
        actor=member,
        organization=org,
        day=day,
        slot=slot,
        data=data,
        confirmed={pii.finding_key("topic", finding)},
    )
    return booking, finding


def test_booking_confirmation_is_the_keyed_finding_key_not_a_plain_sha256(day, member_a, org_a):
    booking, finding = _confirmed_booking(member_a, org_a, day, day.slots.first())

    stored = BookingConfirmation.objects.get(booking=booking).text_hash
    assert stored == pii.finding_key("topic", finding)
    assert stored != hashlib.sha256(PHONE.encode()).hexdigest()


def test_referral_confirmation_is_the_keyed_finding_key_not_a_plain_sha256(member_a, org_a):
    data = {**REFERRAL, "household": f"母の携帯{PHONE}"}
    with pytest.raises(services.PersonalDataFound) as found:
        services.referral_submit(actor=member_a, organization=org_a, data=data)
    (finding,) = found.value.findings["household"]
    referral = services.referral_submit(
        actor=member_a, organization=org_a, data=data, confirmed={pii.finding_key("household", finding)}
    )

    stored = ReferralConfirmation.objects.get(referral=referral).text_hash
    assert stored == pii.finding_key("household", finding)
    assert stored != hashlib.sha256(PHONE.encode()).hexdigest()


def test_rekey_migration_rekeys_what_still_matches_and_drops_the_rest(member_a, org_a):
    data = {**REFERRAL, "household": f"母の携帯{PHONE}"}
    referral = services.referral_submit(
        actor=member_a,
        organization=org_a,
        data=data,
        confirmed={pii.finding_key("household", f) for f in pii.scan(data["household"])},
    )
    old = hashlib.sha256(PHONE.encode()).hexdigest()
    ReferralConfirmation.objects.filter(referral=referral).update(text_hash=old)
    stale = ReferralConfirmation.objects.create(
        referral=referral, field="tried", kind="phone", text_hash=old, confirmed_by=member_a
    )
    migration = importlib.import_module("portal.outreach.migrations.0004_rekey_confirmation_hashes")

    migration.rekey(apps, None)

    (kept,) = ReferralConfirmation.objects.filter(referral=referral)
    assert kept.pk != stale.pk
    assert kept.text_hash == pii.finding_key("household", pii.scan(data["household"])[0])


def test_bookings_are_erased_after_the_retention_setting_counted_from_their_day(
    day, member_a, org_a, settings
):
    settings.OUTREACH_BOOKING_RETENTION_DAYS = 30
    booking, _finding = _confirmed_booking(member_a, org_a, day, day.slots.first())
    day_end = timezone.make_aware(dt.datetime.combine(day.date, dt.time(23, 0)))

    assert not purge.kind("outreach.booking").due(now=day_end + dt.timedelta(days=29)).exists()
    with time_machine.travel(day_end + dt.timedelta(days=31), tick=False):
        assert services_counts() == 1

    booking.refresh_from_db()
    assert booking.purged_at is not None
    assert (booking.initial, booking.contact_route, booking.topic) == ("", "", "")
    assert booking.status == SlotBooking.Status.CONFIRMED  # the statistics keep the booking
    assert not BookingConfirmation.objects.filter(booking=booking).exists()
    event = AuditEvent.objects.get(action="purge.run", details__kind="outreach.booking")
    assert event.details["purged"] == 1


def services_counts() -> int:
    return purge.purge_due()["outreach.booking"]


def _change_times(day, coordinator):
    return services.day_update(
        actor=coordinator,
        day=day,
        based_on_version=day.version,
        start=dt.time(13, 0),
        slot_count=4,
        slot_minutes=45,
        break_minutes=15,
        staff=[coordinator],
    )


def test_a_days_times_change_after_a_cancelled_booking(day, coordinator, member_a, org_a):
    booking = book(member_a, org_a, day, day.slots.order_by("number").first())
    services.booking_cancel(actor=member_a, booking=booking)

    day = _change_times(day, coordinator)

    assert day.slots.count() == 4
    booking.refresh_from_db()
    assert booking.status == SlotBooking.Status.CANCELLED and booking.slot is None


def test_the_day_edit_page_after_a_cancelled_booking_answers_without_a_server_error(
    client, day, coordinator, member_a, org_a
):
    booking = book(member_a, org_a, day, day.slots.order_by("number").first())
    services.booking_cancel(actor=member_a, booking=booking)
    client.force_login(coordinator)

    response = client.post(
        reverse("outreach:day_edit", args=[day.pk]),
        {
            "version": day.version,
            "start": "13:00",
            "slot_count": 4,
            "slot_minutes": 45,
            "break_minutes": 15,
            "staff": [coordinator.pk],
        },
    )

    assert response.status_code in (200, 302)
    assert day.slots.count() == 4


def test_a_booking_cannot_be_cancelled_once_its_slot_has_begun(day, member_a, org_a):
    slot = day.slots.order_by("number").first()
    booking = book(member_a, org_a, day, slot)

    with (
        time_machine.travel(slot.starts_at + dt.timedelta(days=1), tick=False),
        pytest.raises(ValidationError),
    ):
        services.booking_cancel(actor=member_a, booking=booking)

    booking.refresh_from_db()
    assert booking.status == SlotBooking.Status.CONFIRMED


def test_a_booking_cannot_be_cancelled_after_its_outcome_was_recorded(
    client, day, member_a, org_a, coordinator
):
    slot = day.slots.order_by("number").first()
    booking = book(member_a, org_a, day, slot)
    services.booking_record(
        actor=coordinator, booking=booking, outcome="held", now=slot.starts_at + dt.timedelta(minutes=50)
    )
    client.force_login(member_a)

    response = client.post(reverse("outreach:booking_cancel", args=[booking.pk]))

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == SlotBooking.Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.booking_cancel(actor=member_a, booking=booking)


def test_opening_a_referrals_edit_page_is_an_audited_read(client, member_a, org_a, coordinator):
    referral = refer(member_a, org_a)
    services.referral_triage(actor=coordinator, referral=referral, decision="more", note="家族構成を")
    client.force_login(member_a)

    response = client.get(reverse("outreach:referral_edit", args=[referral.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="visit_referral.edit_view")
    assert event.actor == member_a and event.object_id == str(referral.pk)
