"""Registrations sent at the same moment for an existing meeting: the per-organisation cap holds
because the meeting's row is locked while places are counted. PostgreSQL only (SQLite serialises
writers itself, so the race cannot happen there)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from portal.core import waitlist
from portal.meetings import services
from portal.meetings.models import Registration

from ..factories import MembershipFactory
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
    barrier = threading.Barrier(len(people))

    def attempt(person):
        barrier.wait()
        try:
            results.append(services.register(actor=person, event=event).status)
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(results) == ["confirmed", "confirmed", "refused", "refused", "refused"]
    assert Registration.objects.filter(event=event, organization=org_a).count() == 2
