"""Training sessions with online places beyond the venue: per-mode places and queues, switching
mode, self-service until the deadline, an organisation admin acting for colleagues."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.training import services
from portal.training.models import Registration, Session

from ..factories import MembershipFactory
from .conftest import make_session

pytestmark = pytest.mark.django_db


def people(org, n):
    return [MembershipFactory(organization=org).user for _ in range(n)]


def test_online_registrations_take_online_places_when_the_venue_is_full(coordinator, intro, org_a):
    session = make_session(coordinator, intro, capacity=1, online_capacity=1)
    a, b, c, d = people(org_a, 4)

    assert services.register(actor=a, session=session).status == "confirmed"
    assert services.register(actor=b, session=session).status == "waitlisted"
    assert services.register(actor=c, session=session, mode="online").status == "confirmed"
    assert services.register(actor=d, session=session, mode="online").status == "waitlisted"


def test_a_session_without_online_places_refuses_online(coordinator, intro, admin_a):
    session = make_session(coordinator, intro, capacity=3)

    with pytest.raises(ValidationError):
        services.register(actor=admin_a, session=session, mode="online")


def test_a_freed_online_seat_goes_to_the_online_queue(coordinator, intro, org_a):
    session = make_session(coordinator, intro, capacity=1, online_capacity=1)
    a, b, c, d = people(org_a, 4)
    services.register(actor=a, session=session)
    venue_waiting = services.register(actor=b, session=session)
    online_seat = services.register(actor=c, session=session, mode="online")
    online_waiting = services.register(actor=d, session=session, mode="online")

    services.cancel(actor=c, registration=online_seat)

    venue_waiting.refresh_from_db()
    online_waiting.refresh_from_db()
    assert (venue_waiting.status, online_waiting.status) == ("waitlisted", "offered")


def test_switching_with_and_without_room(coordinator, intro, org_a):
    session = make_session(coordinator, intro, capacity=2, online_capacity=1)
    a, b = people(org_a, 2)
    first = services.register(actor=a, session=session)
    second = services.register(actor=b, session=session)

    moved = services.registration_update(
        actor=a, registration=first, mode="online", accessibility="", based_on_version=1
    )
    with pytest.raises(ValidationError):
        services.registration_update(
            actor=b, registration=second, mode="online", accessibility="", based_on_version=1
        )

    second.refresh_from_db()
    assert (moved.mode, moved.status) == ("online", "confirmed")
    assert (second.mode, second.status) == ("venue", "confirmed")


def test_self_service_after_the_deadline_is_refused(coordinator, intro, admin_a, client):
    session = make_session(coordinator, intro, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, session=session)
    Session.objects.filter(pk=session.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(admin_a)

    response = client.post(
        reverse("training:registration_manage", args=[registration.pk]),
        {"mode": "online", "accessibility": "", "version": 1},
    )

    registration.refresh_from_db()
    assert response.status_code == 400 and registration.mode == "venue"


def test_an_org_admin_changes_a_colleagues_registration_but_not_another_organisations(
    coordinator, intro, admin_a, member_a, admin_b, client
):
    session = make_session(coordinator, intro, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, session=session, user=member_a)
    url = reverse("training:registration_manage", args=[registration.pk])
    data = {"mode": "online", "accessibility": "", "version": 1}

    client.force_login(admin_b)
    assert client.post(url, data).status_code == 404
    client.force_login(admin_a)
    assert client.post(url, data).status_code == 302

    registration.refresh_from_db()
    assert registration.mode == "online"


def test_roster_shows_the_mode_and_access_needs(coordinator, intro, admin_a, client):
    session = make_session(coordinator, intro, capacity=2, online_capacity=2)
    services.register(actor=admin_a, session=session, mode="online", accessibility="字幕をお願いします")
    client.force_login(coordinator)

    body = client.get(reverse("training:roster", args=[session.pk])).content.decode()

    assert "オンライン" in body and "字幕をお願いします" in body


def test_waiting_place_on_the_session_page(coordinator, intro, org_a, client):
    session = make_session(coordinator, intro, capacity=1)
    a, b, c = people(org_a, 3)
    for p in (a, b, c):
        services.register(actor=p, session=session)
    client.force_login(c)

    body = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()

    assert "キャンセル待ち2番目" in body
    assert Registration.objects.filter(session=session, status="waitlisted").count() == 2


def test_roster_and_session_page_with_both_modes_cost_the_same_queries_at_1_and_many(
    coordinator, intro, admin_a, org_a, client
):
    from ..queries import assert_flat

    session = make_session(coordinator, intro, capacity=1, online_capacity=1)
    modes = iter(["venue", "online"] * 50)

    def add(n):
        for _ in range(n):
            services.register(actor=admin_a, session=session, user=people(org_a, 1)[0], mode=next(modes))

    client.force_login(coordinator)
    assert_flat(client, reverse("training:roster", args=[session.pk]), add)
    client.force_login(admin_a)
    assert_flat(client, reverse("training:session_detail", args=[session.pk]), add)


def test_the_migration_turns_an_online_courses_places_into_online_places(coordinator, org_a):
    from django.apps import apps

    from portal.core.models import Reservation
    from portal.training.models import Course

    split = __import__("portal.training.migrations.0005_online_places", fromlist=["x"]).split_online_places
    course = Course.objects.create(
        fiscal_year=2026,
        code="online-intro",
        track=Course.Track.SUPPORTERS,
        title="オンライン概論",
        audience=["municipality"],
        format=Course.Format.ONLINE,
    )
    session = make_session(coordinator, course, capacity=2)  # the old state: one capacity, no modes
    seated = [services.register(actor=p, session=session) for p in people(org_a, 3)]

    split(apps, None)

    session.refresh_from_db()
    assert (session.capacity, session.online_capacity) == (0, 2)
    rows = Registration.objects.filter(session=session)
    assert set(rows.values_list("mode", flat=True)) == {"online"}
    assert rows.filter(status="confirmed").count() == 2 and rows.filter(status="waitlisted").count() == 1
    online_key = f"{session.capacity_key}:online"
    assert Reservation.objects.filter(resource__key=online_key, status="booked").count() == 2
    services.cancel(actor=seated[0].user, registration=seated[0])
    assert Registration.objects.get(pk=seated[2].pk).status == "offered", "the online queue moves up"
