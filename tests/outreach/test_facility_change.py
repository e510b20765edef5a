"""A change of the host's facility after publishing reaches the municipalities that booked."""

import datetime as dt

import pytest

from portal.core.models import Notification, OutboundEmail
from portal.outreach import services

from ..factories import MembershipFactory, OrganizationFactory
from .conftest import book

pytestmark = pytest.mark.django_db


def _save(host, actor, **changes):
    data = {name: getattr(host, name) for name in services.HOST_FIELDS}
    return services.host_save(actor=actor, host=host, data={**data, **changes}, based_on_version=host.version)


def _staff(day, coordinator, *people):
    services.day_update(
        actor=coordinator,
        day=day,
        based_on_version=day.version,
        start=dt.time(10, 0),
        slot_count=6,
        slot_minutes=45,
        break_minutes=15,
        staff=list(people),
    )


def test_facility_change_sends_letters_with_the_new_place_to_booked_municipalities(
    published, day, coordinator, second_coordinator, member_a, member_b, org_b
):
    _staff(day, coordinator, coordinator, second_coordinator)
    book(member_b, org_b, day, day.slots.first())
    bystander = MembershipFactory(organization=OrganizationFactory(kind="municipality")).user
    published.refresh_from_db()

    _save(published, member_a, facility_name="甲市青少年センター", room="3階 会議室")

    letters = {m.to: m for m in OutboundEmail.objects.filter(kind="outreach/email/facility")}
    assert set(letters) == {member_b.email, coordinator.email, second_coordinator.email}
    assert bystander.email not in letters and member_a.email not in letters  # the author is not told
    body = letters[member_b.email].body_text
    assert "甲市福祉会館 → 甲市青少年センター" in body and "第1相談室 → 3階 会議室" in body
    ics = letters[member_b.email].attachments[0]["content"]
    assert ics.count("BEGIN:VEVENT") == 1  # the second day has no bookings
    assert "甲市青少年センター" in ics and "SEQUENCE:1" in ics
    day.refresh_from_db()
    assert day.sequence == 1
    assert Notification.objects.filter(user=member_b).exists()


def test_a_change_of_the_contact_person_sends_no_letter(published, day, member_a, member_b, org_b):
    book(member_b, org_b, day, day.slots.first())
    published.refresh_from_db()

    _save(published, member_a, contact_name="福祉課 別の担当者")

    assert not OutboundEmail.objects.filter(kind="outreach/email/facility").exists()


def test_facility_change_before_publishing_sends_no_letter(host, member_a):
    _save(host, member_a, facility_name="甲市青少年センター")

    assert not OutboundEmail.objects.filter(kind="outreach/email/facility").exists()
