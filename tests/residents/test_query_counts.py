"""The secretariat's lists read a fixed number of queries at one row and at many."""

import pytest
from django.urls import reverse

from portal.core.dates import fiscal_year_of
from portal.residents import services

from ..test_query_counts import assert_flat
from .conftest import apply, apply_seminar

pytestmark = pytest.mark.django_db


def test_application_list(coordinator, day, client):
    client.force_login(coordinator)
    slots = list(day.slots.all())
    added = []

    def add(n):
        added.extend(apply(slots[:3]) for _ in range(n))

    assert_flat(client, reverse("residents:application_list"), add)
    html = client.get(reverse("residents:application_list")).content.decode()
    assert all(reverse("residents:application_detail", args=[a.pk]) in html for a in added)


def test_day_sheet(coordinator, day, client):
    client.force_login(coordinator)
    free = iter([s for s in day.slots.all() for _ in range(2)])
    added = []

    def add(n):
        for _ in range(n):
            slot = next(free, None)  # eight pairs a day: the rest of the rows find the day full
            if slot is None:
                return
            added.append(services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot))

    assert_flat(client, reverse("residents:day_detail", args=[day.pk]), add)
    html = client.get(reverse("residents:day_detail", args=[day.pk])).content.decode()
    assert all(a.reference in html for a in added)


def test_seminar_seats(coordinator, seminar, client):
    client.force_login(coordinator)
    added = []

    def add(n):
        added.extend(apply_seminar([seminar]) for _ in range(n))

    assert_flat(client, reverse("residents:seminar_detail", args=[seminar.pk]), add)
    html = client.get(reverse("residents:seminar_detail", args=[seminar.pk])).content.decode()
    assert all(a.reference in html for a in added)


def test_day_and_seminar_lists(coordinator, client):
    import datetime as dt

    client.force_login(coordinator)
    fy = fiscal_year_of() + 1
    start = dt.date(fy, 4, 1)
    made = []

    def add(n):
        for _ in range(n):
            date = start + dt.timedelta(days=7 * len(made))
            while date.weekday() != 6:
                date += dt.timedelta(days=1)
            day = services.day_create(
                actor=coordinator,
                fiscal_year=fy,
                kind="weekend",
                number=len(made) + 1,
                date=date,
                venue="adachi",
            )
            services.seminar_create(
                actor=coordinator,
                fiscal_year=fy,
                number=len(made) + 1,
                date=date,
                venue="adachi",
                theme=f"テーマ{len(made)}",
                lecturer="講師",
                consultation_day=day,
            )
            made.append(day)

    assert_flat(client, f"{reverse('residents:day_list')}?year={fy}", add)
    assert_flat(client, f"{reverse('residents:seminar_list')}?year={fy}", add)


def test_events_page(client, coordinator, day):
    import datetime as dt

    made = []

    def add(n):
        for _ in range(n):
            date = day.date + dt.timedelta(days=7 * (len(made) + 1))
            while date.weekday() != 6:
                date += dt.timedelta(days=1)
            made.append(
                services.seminar_create(
                    actor=coordinator,
                    fiscal_year=fiscal_year_of(date),
                    number=len(made) + 1,
                    date=date,
                    venue="adachi",
                    theme=f"テーマ{len(made)}",
                    lecturer="講師",
                )
            )

    assert_flat(client, reverse("residents:events"), add)


def test_peer_list(coordinator, client):
    from portal.residents.models import PeerSlot

    client.force_login(coordinator)
    services.peer_schedule_create(actor=coordinator, fiscal_year=fiscal_year_of() + 1)
    free = iter(PeerSlot.objects.order_by("starts_at")[:32])

    def add(n):
        for _ in range(n):
            services.peer_book(
                actor=coordinator, slot=next(free), data={"nickname": "Aさん", "mode": "phone"}
            )

    assert_flat(client, reverse("residents:peer_list"), add)
