"""Online places beyond the venue: each attendance mode has its own places, waiting list and
promotion; a registrant changes mode only into a free seat, and edits their own registration until
the deadline."""

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core import waitlist
from portal.core.exceptions import StaleEdit
from portal.core.models import CapacityResource, Reservation
from portal.meetings import services
from portal.meetings.models import Event, Registration

from ..factories import MembershipFactory
from .conftest import make_event

pytestmark = pytest.mark.django_db


def people(org, n):
    return [MembershipFactory(organization=org).user for _ in range(n)]


def _move_online(mover, registration):
    """The registrant asks to move their seat online, from the version they see."""
    return services.registration_update(
        actor=mover,
        registration=registration,
        mode="online",
        accessibility="",
        based_on_version=registration.version,
    )


def seats(event, mode):
    return Registration.objects.filter(event=event, mode=mode, status="confirmed").count()


def test_each_mode_fills_to_its_own_capacity_and_then_waits(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=2, per_organization=10)
    a, b, c, d, e = people(org_a, 5)

    assert services.register(actor=a, event=event).status == "confirmed"
    assert services.register(actor=b, event=event).status == "waitlisted"  # the venue is full …
    assert services.register(actor=c, event=event, mode="online").status == "confirmed"  # … online is not
    assert services.register(actor=d, event=event, mode="online").status == "confirmed"
    assert services.register(actor=e, event=event, mode="online").status == "waitlisted"

    assert seats(event, "venue") == 1 and seats(event, "online") == 2
    online_key = waitlist.mode_key(event.capacity_key, "online")
    assert Reservation.objects.filter(resource__key=online_key, status="booked").count() == 2
    assert Reservation.objects.filter(resource__key=event.capacity_key, status="booked").count() == 1


def test_online_is_refused_when_the_event_has_no_online_places(coordinator, admin_a):
    event = make_event(coordinator, online_capacity=0)

    with pytest.raises(ValidationError) as exc:
        services.register(actor=admin_a, event=event, mode="online")

    assert "オンライン" in exc.value.messages[0]
    assert not Registration.objects.filter(event=event).exists()


def test_unlimited_online_never_waits(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=None, per_organization=20)

    statuses = {services.register(actor=p, event=event, mode="online").status for p in people(org_a, 12)}

    assert statuses == {"confirmed"}


def test_the_per_organisation_limit_counts_both_modes(coordinator, org_a):
    event = make_event(coordinator, capacity=5, online_capacity=5, per_organization=2)
    a, b, c = people(org_a, 3)
    services.register(actor=a, event=event)
    services.register(actor=b, event=event, mode="online")

    with pytest.raises(ValidationError):
        services.register(actor=c, event=event, mode="online")


def test_a_freed_seat_goes_to_the_first_person_waiting_for_that_mode(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    venue_seat, venue_waiting, online_seat, online_waiting = people(org_a, 4)
    services.register(actor=venue_seat, event=event)
    first_in_line = services.register(actor=venue_waiting, event=event)  # waiting longer …
    seated = services.register(actor=online_seat, event=event, mode="online")
    online_next = services.register(actor=online_waiting, event=event, mode="online")

    services.cancel(actor=online_seat, registration=seated)

    first_in_line.refresh_from_db()
    online_next.refresh_from_db()
    assert online_next.status == "offered", "the online seat goes to the online queue"
    assert first_in_line.status == "waitlisted", "… not to the venue queue, however long it waited"


def test_switching_into_a_free_seat_frees_the_old_one_for_its_queue(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=2, per_organization=10)
    mover, waiting = people(org_a, 2)
    registration = services.register(actor=mover, event=event)
    behind = services.register(actor=waiting, event=event)

    moved = services.registration_update(
        actor=mover,
        registration=registration,
        mode="online",
        accessibility="字幕",
        based_on_version=registration.version,
    )

    behind.refresh_from_db()
    assert (moved.mode, moved.status, moved.accessibility) == ("online", "confirmed", "字幕")
    assert moved.reservation.resource.key == waitlist.mode_key(event.capacity_key, "online")
    assert behind.status == "offered", "the venue seat let go is offered to the venue queue"
    assert Reservation.objects.filter(resource__key=event.capacity_key, status="booked").count() == 0


def test_switching_into_a_full_mode_keeps_the_current_seat_and_says_why(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    mover, online = people(org_a, 2)
    registration = services.register(actor=mover, event=event)
    services.register(actor=online, event=event, mode="online")

    with pytest.raises(ValidationError) as exc:
        _move_online(mover, registration)

    assert "空き" in exc.value.messages[0] and "会場" in exc.value.messages[0]
    registration.refresh_from_db()
    assert (registration.mode, registration.status) == ("venue", "confirmed")
    assert Reservation.objects.get(pk=registration.reservation_id).status == "booked"
    assert seats(event, "online") == 1


def test_a_waiting_person_switching_to_a_mode_with_room_gets_a_seat(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    seated, waiting = people(org_a, 2)
    services.register(actor=seated, event=event)
    registration = services.register(actor=waiting, event=event)

    moved = services.registration_update(
        actor=waiting, registration=registration, mode="online", accessibility="", based_on_version=1
    )

    assert (moved.mode, moved.status) == ("online", "confirmed")


def test_an_edit_based_on_an_older_version_is_refused(coordinator, admin_a, member_a):
    event = make_event(coordinator, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, event=event, user=member_a)
    services.registration_update(
        actor=member_a, registration=registration, mode="online", accessibility="", based_on_version=1
    )

    with pytest.raises(StaleEdit) as exc:  # the admin's page still showed version 1
        services.registration_update(
            actor=admin_a, registration=registration, mode="venue", accessibility="車椅子", based_on_version=1
        )

    assert exc.value.current.mode == "online"
    registration.refresh_from_db()
    assert (registration.mode, registration.accessibility) == ("online", "")


def test_changes_after_the_deadline_are_refused(coordinator, admin_a):
    event = make_event(coordinator, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, event=event)

    with (
        time_machine.travel(event.registration_deadline + dt.timedelta(minutes=1)),
        pytest.raises(ValidationError) as exc,
    ):
        services.registration_update(
            actor=admin_a, registration=registration, mode="online", accessibility="", based_on_version=1
        )

    assert "締切" in exc.value.messages[0]
    registration.refresh_from_db()
    assert registration.mode == "venue"


def test_self_service_page_after_the_deadline_offers_no_form(coordinator, admin_a, client):
    event = make_event(coordinator, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, event=event)
    client.force_login(admin_a)
    url = reverse("meetings:registration_manage", args=[registration.pk])

    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(url).content.decode()
    refused = client.post(url, {"mode": "online", "accessibility": "", "version": 1})

    assert 'name="accessibility"' not in page
    assert refused.status_code == 400
    registration.refresh_from_db()
    assert registration.mode == "venue"


def test_the_waiting_list_place_is_shown_per_mode(coordinator, org_a, client):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    first, v1, o1, v2, v3 = people(org_a, 5)
    services.register(actor=first, event=event)
    services.register(actor=v1, event=event)
    services.register(actor=o1, event=event, mode="online")  # online has room: not in the venue queue
    services.register(actor=v2, event=event)
    third = services.register(actor=v3, event=event)
    client.force_login(v3)

    page = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    manage = client.get(reverse("meetings:registration_manage", args=[third.pk])).content.decode()

    assert "キャンセル待ち3番目" in page and "キャンセル待ち3番目" in manage


def test_leaving_the_waiting_list_asks_first_then_moves_the_others_up(coordinator, org_a, client):
    event = make_event(coordinator, capacity=1, per_organization=10)
    seated, leaver, behind = people(org_a, 3)
    services.register(actor=seated, event=event)
    registration = services.register(actor=leaver, event=event)
    last = services.register(actor=behind, event=event)
    client.force_login(leaver)
    url = reverse("meetings:registration_leave", args=[registration.pk])

    confirm = client.get(url)
    registration.refresh_from_db()
    assert confirm.status_code == 200 and registration.status == "waitlisted"
    response = client.post(url, {"confirmed": "1"})

    registration.refresh_from_db()
    assert response.status_code == 302 and registration.status == "cancelled"
    assert selectors_position(last) == 1


def selectors_position(registration):
    from portal.meetings import selectors

    return selectors.waiting_position(registration)


def test_an_org_admin_changes_a_colleagues_registration(coordinator, admin_a, member_a, client):
    event = make_event(coordinator, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, event=event, user=member_a)
    client.force_login(admin_a)

    response = client.post(
        reverse("meetings:registration_manage", args=[registration.pk]),
        {"mode": "online", "accessibility": "手話通訳", "version": registration.version},
    )

    registration.refresh_from_db()
    assert response.status_code == 302
    assert (registration.mode, registration.accessibility) == ("online", "手話通訳")


def test_an_org_admin_of_another_organisation_gets_404(coordinator, admin_a, member_a, admin_b, client):
    event = make_event(coordinator, capacity=2, online_capacity=2)
    registration = services.register(actor=admin_a, event=event, user=member_a)
    client.force_login(admin_b)

    manage = client.post(
        reverse("meetings:registration_manage", args=[registration.pk]),
        {"mode": "online", "accessibility": "", "version": registration.version},
    )
    leave = client.post(reverse("meetings:registration_leave", args=[registration.pk]), {"confirmed": "1"})

    assert manage.status_code == 404 and leave.status_code == 404
    registration.refresh_from_db()
    assert (registration.mode, registration.status) == ("venue", "confirmed")


def test_a_refused_switch_keeps_what_was_typed(coordinator, org_a, client):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    mover, online = people(org_a, 2)
    registration = services.register(actor=mover, event=event)
    services.register(actor=online, event=event, mode="online")
    client.force_login(mover)

    response = client.post(
        reverse("meetings:registration_manage", args=[registration.pk]),
        {"mode": "online", "accessibility": "筆談をお願いします", "version": registration.version},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "筆談をお願いします" in body and "error-summary" in body


def test_lowering_online_places_below_the_seats_given_is_refused(coordinator, org_a):
    event = make_event(coordinator, capacity=2, online_capacity=3, per_organization=10)
    for p in people(org_a, 2):
        services.register(actor=p, event=event, mode="online")

    with pytest.raises(ValidationError):
        services.event_update(
            actor=coordinator, event=event, based_on_version=event.version, online_capacity=1
        )


def test_more_online_places_offer_the_online_queue(coordinator, org_a):
    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=10)
    a, b = people(org_a, 2)
    services.register(actor=a, event=event, mode="online")
    waiting = services.register(actor=b, event=event, mode="online")

    services.event_update(actor=coordinator, event=event, based_on_version=event.version, online_capacity=2)

    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_the_migration_moves_existing_online_seats_to_their_own_places(coordinator, org_a):
    """Before the change, online registrants took seats of the one shared capacity."""
    split = __import__("portal.meetings.migrations.0003_online_places", fromlist=["x"]).split_online_places
    event = make_event(coordinator, capacity=3, online_capacity=None, per_organization=10, online_url="")
    a, b = people(org_a, 2)
    services.register(actor=a, event=event)
    online = services.register(actor=b, event=event, mode="online")
    venue_resource = CapacityResource.objects.get(key=event.capacity_key)
    Reservation.objects.filter(pk=online.reservation_id).update(resource=venue_resource)  # the old state
    Event.objects.filter(pk=event.pk).update(online_capacity=0)

    split(apps, None)

    event.refresh_from_db()
    online.refresh_from_db()
    assert event.online_capacity == 1, "no online link: exactly the online seats already given"
    assert online.status == "confirmed"
    assert online.reservation.resource.key == f"{event.capacity_key}:online"
    assert Reservation.objects.filter(resource=venue_resource, status="booked").count() == 1


def test_the_migration_gives_events_with_an_online_link_unlimited_online_places(coordinator):
    split = __import__("portal.meetings.migrations.0003_online_places", fromlist=["x"]).split_online_places
    event = make_event(coordinator, online_url="https://meet.example.jp/x")

    split(apps, None)

    event.refresh_from_db()
    assert event.online_capacity is None


def test_event_list_with_online_places_costs_the_same_queries_at_1_and_many(coordinator, admin_a, client):
    from ..queries import assert_flat

    def add(n):
        for _ in range(n):
            event = make_event(coordinator, capacity=1, online_capacity=None)
            services.register(actor=admin_a, event=event, mode="online")

    client.force_login(admin_a)
    assert_flat(client, reverse("meetings:event_list"), add)


def test_meeting_page_with_both_modes_costs_the_same_queries_at_1_and_many(
    coordinator, admin_a, org_a, client
):
    from ..queries import assert_flat

    event = make_event(coordinator, capacity=1, online_capacity=1, per_organization=100)
    modes = iter(["venue", "online"] * 50)

    def add(n):
        for _ in range(n):
            services.register(actor=admin_a, event=event, user=people(org_a, 1)[0], mode=next(modes))

    client.force_login(admin_a)
    assert_flat(client, reverse("meetings:event_detail", args=[event.pk]), add)


def test_switching_to_a_mode_the_meeting_does_not_offer_is_refused_as_such(coordinator, org_a):
    event = make_event(coordinator, capacity=2, online_capacity=0, per_organization=10)
    (mover,) = people(org_a, 1)
    registration = services.register(actor=mover, event=event)

    with pytest.raises(ValidationError) as exc:
        _move_online(mover, registration)

    assert exc.value.error_list[0].code == "no_mode", (
        "told there are no online places, not that they are full"
    )
    registration.refresh_from_db()
    assert (registration.mode, registration.status) == ("venue", "confirmed")
