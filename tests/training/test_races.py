"""Registrations sent at the same moment for an existing training session. PostgreSQL only (SQLite
serialises writers itself, so the race cannot happen there)."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.core import waitlist
from portal.core.models import Reservation
from portal.training import services
from portal.training.models import Course, Registration

from ..factories import MembershipFactory
from ..races import together
from .conftest import make_session


@pytest.fixture
def course(db):
    """A course of its own: a transactional test starts from empty tables, without the catalogue."""
    return Course.objects.create(
        fiscal_year=2026,
        code="race-intro",
        track=Course.Track.SUPPORTERS,
        title="ひきこもり概論",
        audience=["municipality", "partner"],
        format=Course.Format.IN_PERSON,
    )


@pytest.fixture
def slow_seat(monkeypatch):
    """Widen the window between the checks under the session's lock and taking the seat."""
    seated = waitlist.seat

    def seat(*args, **kwargs):
        time.sleep(0.2)
        return seated(*args, **kwargs)

    monkeypatch.setattr(waitlist, "seat", seat)


@pytest.mark.django_db(transaction=True)
def test_one_person_registering_three_times_at_once_gets_one_place(coordinator, course, org_a, slow_seat):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    session = make_session(coordinator, course, capacity=5)
    person = MembershipFactory(organization=org_a).user
    results = []

    def attempt():
        try:
            results.append(services.register(actor=person, session=session).status)
        except ValidationError as exc:
            results.append("told: " + exc.messages[0])

    together([attempt] * 3)

    told = [r for r in results if r.startswith("told: ")]
    assert [r for r in results if not r.startswith("told: ")] == ["confirmed"], results
    assert len(told) == 2 and all("申込み済み" in r for r in told), told
    assert Registration.objects.filter(session=session, user=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_oversell_an_existing_session(coordinator, course, org_a, slow_seat):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    session = make_session(coordinator, course, capacity=2)
    services.register(
        actor=MembershipFactory(organization=org_a).user, session=session
    )  # the seat row exists
    people = [MembershipFactory(organization=org_a).user for _ in range(5)]
    results = []

    together([lambda p=p: results.append(services.register(actor=p, session=session).status) for p in people])

    assert sorted(results) == ["confirmed"] + ["waitlisted"] * 4
    assert Reservation.objects.filter(resource__key=session.capacity_key, status="booked").count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_fill_each_mode_of_a_session_exactly(
    coordinator, course, org_a, slow_seat
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    session = make_session(coordinator, course, capacity=2, online_capacity=2)
    services.register(actor=MembershipFactory(organization=org_a).user, session=session, mode="online")
    people = [MembershipFactory(organization=org_a).user for _ in range(8)]

    together(
        [
            lambda p=p, m=("venue" if i % 2 else "online"): services.register(
                actor=p, session=session, mode=m
            )
            for i, p in enumerate(people)
        ]
    )

    rows = Registration.objects.filter(session=session)
    assert rows.filter(mode="venue", status="confirmed").count() == 2
    assert rows.filter(mode="online", status="confirmed").count() == 2
    assert rows.filter(status="waitlisted").count() == 5
    online_key = f"{session.capacity_key}:online"
    assert Reservation.objects.filter(resource__key=online_key, status="booked").count() == 2
