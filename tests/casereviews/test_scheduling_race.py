"""Two coordinators put cases on the same meeting at the same moment: the meeting's row is locked
while its free slots are counted, so both cases get a slot of their own and nobody meets the
unique index of (meeting, slot). PostgreSQL only (SQLite serialises writers itself)."""

import threading
import time

import pytest
from django.db import connection, connections

from portal.casereviews import services
from portal.casereviews.models import Case

from .conftest import submitted_case


@pytest.mark.django_db(transaction=True)
def test_simultaneous_scheduling_gives_each_case_its_own_slot(
    coordinator, org_a, member_a, meeting, monkeypatch
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    cases = [services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)) for _ in range(2)]
    refuse = services._refuse_conflicts

    def slow_refuse(*args, **kwargs):  # both contenders have counted the free slots by now
        time.sleep(0.3)
        return refuse(*args, **kwargs)

    monkeypatch.setattr(services.triage, "_refuse_conflicts", slow_refuse)
    outcomes = []
    barrier = threading.Barrier(2)

    def attempt(case):
        barrier.wait()
        try:
            services.case_schedule(actor=coordinator, case=case, meeting=meeting)
            outcomes.append("scheduled")
        except Exception as exc:  # noqa: BLE001 -- any failure is the finding; the test names it
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes == ["scheduled", "scheduled"]
    slots = sorted(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("slot", flat=True))
    assert slots == [1, 2]
