"""The inbox and the records list cost the same number of queries at 1 row and at many."""

import pytest
from django.urls import reverse

from portal.consultations import services

from ..test_query_counts import assert_flat
from .conftest import make_resident, write

pytestmark = pytest.mark.django_db


def test_inbox_queries_do_not_grow_with_threads(client, counsellor):
    client.force_login(counsellor)

    def add(n):
        for i in range(n):
            resident = make_resident(nickname=f"n{i}", email=f"q{n}-{i}@example.jp")
            thread = write(resident)
            services.thread_assign(actor=counsellor, thread=thread, counsellor=counsellor)

    assert_flat(client, reverse("consultations:inbox"), add)


def test_records_list_queries_do_not_grow_with_records(client, counsellor, org_a):
    client.force_login(counsellor)

    def add(n):
        for i in range(n):
            resident = make_resident(nickname=f"r{i}", email=f"r{n}-{i}@example.jp")
            write(resident)
            services.record_create(
                actor=counsellor,
                values={
                    "method": "phone",
                    "date": "2026-11-02",
                    "relation": "family",
                    "age_band": "30s",
                    "withdrawal": "u5y",
                    "municipality": org_a,
                    "topics": ["family"],
                    "referral": "none",
                    "nickname": f"みどり{i}",
                },
            )

    assert_flat(client, reverse("consultations:record_list"), add)


def test_my_page_queries_do_not_grow_with_threads(resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import resident_client

    c = resident_client(resident)
    url = reverse("consultations:my_page")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    write(resident)
    c.get(url)
    one = count()
    for _ in range(10):
        write(resident)
    assert count() == one
