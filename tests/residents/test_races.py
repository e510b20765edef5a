"""Fifty secretaries (or applicants accepting offers) at the same moment on one day of 個別相談:
each time still has at most two pairs, because the capacity engine counts under the resource's row
lock. PostgreSQL only (SQLite serialises writers itself, so the race cannot happen there)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from portal.core import capacity
from portal.residents import services
from portal.residents.models import IndividualApplication

from .conftest import apply

CLIENTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_clients_never_put_more_than_two_pairs_in_a_time(coordinator, day, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL")
    slots = list(day.slots.all())
    applications = [apply([slots[n % len(slots)]]) for n in range(CLIENTS)]
    counted = capacity.taken

    def slow_taken(*args, **kwargs):  # every contender has counted the places by now
        n = counted(*args, **kwargs)
        time.sleep(0.05)
        return n

    monkeypatch.setattr(capacity, "taken", slow_taken)
    results: list[str] = []
    barrier = threading.Barrier(CLIENTS)

    def attempt(application):
        barrier.wait()
        try:
            services.individual_assign(
                actor=coordinator, application=application, slot=application.preference1
            )
            results.append("confirmed")
        except ValidationError:
            results.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results.count("confirmed") == 2 * len(slots)
    for slot in slots:
        assert IndividualApplication.objects.filter(slot=slot, status="confirmed").count() == 2
        assert (
            capacity.Reservation.objects.filter(resource__key=slot.capacity_key, status="booked").count() == 2
        )
