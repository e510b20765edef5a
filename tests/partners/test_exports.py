"""The talent bank's consultation list and yearly utilisation as exports: a fixed number of
queries whatever the number of consultations, the list's filter, Japanese labels."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.partners import services
from portal.partners.models import Consultation

from ..exports import assert_flat, export
from ..factories import ExpertProfileFactory, MembershipFactory, PartnerFactory
from .conftest import NOW

pytestmark = pytest.mark.django_db


def _requests(n, made, *, topic="相談"):
    for i in range(n):
        org = PartnerFactory()
        staff = MembershipFactory(organization=org).user
        c = services.request_create(
            actor=staff,
            organization=org,
            field=["legal", "medical", "management"][len(made) % 3],
            topic=f"{topic}{len(made)}",
            description="運営について（説明文）",
            fmt="online" if i % 2 else "in_person",
            attendees=[staff],
            preferred_dates=[dt.date(2027, 1, 12)],
        )
        if len(made) % 2:  # held by an expert of its own (set directly: the booking flow is not under test)
            Consultation.objects.filter(pk=c.pk).update(
                status="confirmed", expert=ExpertProfileFactory().user
            )
        made.append(c)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_consultation_export_queries_flat_and_filtered(client, coordinator, fmt):
    client.force_login(coordinator)
    made = []
    with time_machine.travel(NOW, tick=False):
        rows, queries = assert_flat(
            client, reverse("partners:consultation_export"), lambda n: _requests(n, made), fmt=fmt
        )
        filtered, _ = export(client, reverse("partners:consultation_export"), fmt, {"status": "confirmed"})
        page = client.get(reverse("partners:consultation_list"), {"status": "confirmed"})

    assert queries <= 30
    assert {row[3] for row in rows[1:]} == {c.topic for c in made}
    assert {row[6] for row in rows[1:]} == {"申込み中", "確定"}
    assert not any("説明文" in str(v) for row in rows for v in row)
    assert [row[3] for row in filtered[1:]] == [c.topic for c in page.context["page"]]
    assert 0 < len(filtered) - 1 < len(made)


def test_consultation_export_is_for_the_secretariat(client, npo_staff):
    client.force_login(npo_staff)
    assert client.get(reverse("partners:consultation_export")).status_code == 403


def test_utilisation_queries_flat_and_counted_by_the_database(client, coordinator):
    client.force_login(coordinator)
    made = []
    with time_machine.travel(NOW, tick=False):
        rows, queries = assert_flat(
            client,
            reverse("partners:utilisation"),
            lambda n: _requests(n * 2, made),
            fmt=None,
            many=12,
            grows=False,
        )
        with CaptureQueriesContext(connection) as ctx:
            by_expert, _ = export(client, reverse("partners:utilisation"), None, sheet=1)

    held = [c for c in Consultation.objects.filter(status="confirmed")]
    assert queries <= 30
    assert sum(row[1] for row in rows[1:]) == len(held)
    assert len(by_expert) - 1 == len(held)  # one expert each
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "partners_consultation"' in q["sql"]]
    assert reads and all("GROUP BY" in sql for sql in reads)
