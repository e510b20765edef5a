"""Registrations sent at the same moment for an existing meeting: the per-organisation cap holds
because the meeting's row is locked while places are counted. PostgreSQL only (SQLite serialises
writers itself, so the race cannot happen there)."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.core import waitlist
from portal.meetings import services
from portal.meetings.models import Registration

from ..factories import MembershipFactory
from ..races import together
from .conftest import make_event


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_keep_the_per_organisation_cap(coordinator, org_a, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    event = make_event(coordinator, capacity=10, per_organization=2)
    people = [MembershipFactory(organization=org_a).user for _ in range(5)]
    seated = waitlist.seat

    def slow_seat(*args, **kwargs):  # every contender has counted its organisation's places by now
        time.sleep(0.2)
        return seated(*args, **kwargs)

    monkeypatch.setattr(waitlist, "seat", slow_seat)
    results = []

    def attempt(person):
        try:
            results.append(services.register(actor=person, event=event).status)
        except ValidationError:
            results.append("refused")

    together([lambda p=p: attempt(p) for p in people])

    assert sorted(results) == ["confirmed", "confirmed", "refused", "refused", "refused"]
    assert Registration.objects.filter(event=event, organization=org_a).count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_fill_each_mode_exactly(coordinator, org_a, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    event = make_event(coordinator, capacity=2, online_capacity=3, per_organization=20)
    people = [MembershipFactory(organization=org_a).user for _ in range(12)]
    seated = waitlist.seat

    def slow_seat(*args, **kwargs):
        time.sleep(0.1)
        return seated(*args, **kwargs)

    monkeypatch.setattr(waitlist, "seat", slow_seat)

    def attempt(person, mode):
        return lambda: services.register(actor=person, event=event, mode=mode)

    together([attempt(p, "venue" if i % 2 else "online") for i, p in enumerate(people)])

    rows = Registration.objects.filter(event=event)
    assert rows.filter(mode="venue", status="confirmed").count() == 2
    assert rows.filter(mode="online", status="confirmed").count() == 3
    assert rows.filter(mode="venue", status="waitlisted").count() == 4
    assert rows.filter(mode="online", status="waitlisted").count() == 3


@pytest.mark.django_db(transaction=True)
def test_each_modes_places_are_guarded_by_their_own_row_lock(coordinator, monkeypatch):
    """Seats of both modes taken at the same moment straight through the engine (no event lock):
    each mode's resource row is locked while its places are counted, so neither oversells."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    from portal.core import capacity
    from portal.core.models import CapacityResource, Reservation

    event = make_event(coordinator, capacity=2, online_capacity=3)
    places = waitlist.places(event.capacity_key, event.starts_at, event.ends_at, venue=2, online=3)
    for place in places.values():  # existing rows, as for a meeting people registered for already
        CapacityResource.objects.get_or_create(key=place.key, defaults={"capacity": place.capacity})
    counted = capacity.taken

    def slow_taken(*args, **kwargs):  # every contender has counted before any takes a place
        n = counted(*args, **kwargs)
        time.sleep(0.2)
        return n

    monkeypatch.setattr(capacity, "taken", slow_taken)
    together([lambda p=places[mode]: waitlist.take_seat(p, holder=None) for mode in ["venue", "online"] * 6])

    assert Reservation.objects.filter(resource__key=places["venue"].key, status="booked").count() == 2
    assert Reservation.objects.filter(resource__key=places["online"].key, status="booked").count() == 3


@pytest.mark.django_db(transaction=True)
def test_simultaneous_switches_into_the_last_online_place_give_it_once(coordinator, org_a, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    event = make_event(coordinator, capacity=5, online_capacity=1, per_organization=20)
    registrations = [
        services.register(actor=MembershipFactory(organization=org_a).user, event=event) for _ in range(5)
    ]
    taken = waitlist.take_seat

    def slow_take(*args, **kwargs):
        time.sleep(0.1)
        return taken(*args, **kwargs)

    monkeypatch.setattr(waitlist, "take_seat", slow_take)
    outcome = []

    def attempt(registration):
        def run():
            try:
                services.registration_update(
                    actor=registration.user,
                    registration=registration,
                    mode="online",
                    accessibility="",
                    based_on_version=registration.version,
                )
                outcome.append("moved")
            except ValidationError:
                outcome.append("kept")

        return run

    together([attempt(r) for r in registrations])

    assert sorted(outcome) == ["kept"] * 4 + ["moved"]
    rows = Registration.objects.filter(event=event)
    assert rows.filter(mode="online", status="confirmed").count() == 1
    assert rows.filter(mode="venue", status="confirmed").count() == 4, "the others keep their venue seats"
