import datetime as dt
import time

import pytest
import time_machine
from django.db import connection

from portal.core import capacity
from portal.core.models import CapacityResource, Reservation

from ..races import together

START = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)


@pytest.mark.django_db
def test_a_single_place_cannot_be_held_twice(admin_a, admin_b):
    first = capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_a)

    with pytest.raises(capacity.Full):
        capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_b)
    with pytest.raises(capacity.Full):  # overlapping, not only identical
        capacity.hold(
            key="expert:1", starts_at=START + dt.timedelta(minutes=30), ends_at=END + dt.timedelta(minutes=30)
        )
    assert capacity.book(first).status == Reservation.Status.BOOKED


@pytest.mark.django_db
def test_an_expired_hold_frees_the_place(admin_a, admin_b):
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False) as traveller:
        stale = capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_a, minutes=10)
        traveller.shift(dt.timedelta(minutes=11))
        fresh = capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_b)

        with pytest.raises(capacity.HoldExpired):
            capacity.book(stale)
        assert capacity.book(fresh).status == Reservation.Status.BOOKED


@pytest.mark.django_db
def test_an_expired_hold_can_still_be_booked_if_nobody_took_the_place(admin_a):
    with time_machine.travel(dt.datetime(2026, 11, 1, tzinfo=dt.UTC), tick=False) as traveller:
        held = capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_a, minutes=10)
        traveller.shift(dt.timedelta(minutes=30))
        assert capacity.book(held).status == Reservation.Status.BOOKED


@pytest.mark.django_db
def test_capacity_above_one_counts_places():
    for _ in range(3):
        capacity.hold(key="training:9", starts_at=START, ends_at=END, capacity=3)
    with pytest.raises(capacity.Full):
        capacity.hold(key="training:9", starts_at=START, ends_at=END, capacity=3)


@pytest.mark.django_db
def test_released_places_can_be_taken_again(admin_a):
    held = capacity.hold(key="expert:1", starts_at=START, ends_at=END)
    capacity.release(held)
    assert capacity.hold(key="expert:1", starts_at=START, ends_at=END).status == Reservation.Status.HELD


@pytest.mark.django_db
def test_move_takes_the_new_place_before_letting_the_old_one_go():
    booked = capacity.book(capacity.hold(key="expert:1", starts_at=START, ends_at=END))
    blocker = capacity.book(capacity.hold(key="expert:1", starts_at=END, ends_at=END + dt.timedelta(hours=1)))

    with pytest.raises(capacity.Full):
        capacity.move(booked, starts_at=END, ends_at=END + dt.timedelta(hours=1))
    booked.refresh_from_db()
    assert booked.status == Reservation.Status.BOOKED, "a failed move keeps the original booking"
    moved = capacity.move(booked, starts_at=END + dt.timedelta(hours=2), ends_at=END + dt.timedelta(hours=3))
    assert moved.status == Reservation.Status.BOOKED and blocker.status == Reservation.Status.BOOKED


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting the places taken and taking one, so that without the
    resource's row lock every contender counts before any takes (the race is then certain)."""
    counted = capacity.taken

    def taken(*args, **kwargs):
        n = counted(*args, **kwargs)
        time.sleep(0.2)
        return n

    monkeypatch.setattr(capacity, "taken", taken)


@pytest.mark.django_db(transaction=True)
def test_concurrent_holds_on_an_existing_resource_never_oversell(slow_count):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    CapacityResource.objects.create(key="training:race", capacity=3)
    results = []

    def attempt():
        try:
            capacity.book(capacity.hold(key="training:race", starts_at=START, ends_at=END, capacity=3))
            results.append("booked")
        except (capacity.Full, capacity.HoldExpired):
            results.append("full")

    together([attempt] * 8)

    assert sorted(results) == ["booked"] * 3 + ["full"] * 5
    assert Reservation.objects.filter(resource__key="training:race", status="booked").count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_holds_on_an_existing_resource_give_exactly_one_place(slow_count):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    CapacityResource.objects.create(key="expert:race", capacity=1)
    results = []
    starts = iter([START + dt.timedelta(minutes=10 * n) for n in range(6)])  # overlapping, never equal

    def attempt():
        start = next(starts)
        try:
            capacity.book(
                capacity.hold(key="expert:race", starts_at=start, ends_at=start + dt.timedelta(hours=1))
            )
            results.append("booked")
        except (capacity.Full, capacity.HoldExpired):
            results.append("full")

    together([attempt] * 6)

    assert sorted(results) == ["booked"] + ["full"] * 5
    assert Reservation.objects.filter(resource__key="expert:race", status="booked").count() == 1


@pytest.mark.django_db
def test_a_booked_reservation_is_not_booked_again_for_someone_else(admin_a):
    booked = capacity.book(capacity.hold(key="expert:1", starts_at=START, ends_at=END, holder=admin_a))

    with pytest.raises(capacity.AlreadyBooked):
        capacity.book(booked)


def test_waiting_places_are_counted_within_each_mode():
    from types import SimpleNamespace

    from portal.core import waitlist

    queue = [SimpleNamespace(mode=m) for m in ("venue", "online", "venue", "online", "online")]
    assert [place for place, _ in waitlist.numbered(queue)] == [1, 1, 2, 2, 3]
