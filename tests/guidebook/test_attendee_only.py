"""Attendee-only material (a meeting's own materials, and library documents addressed to a
meeting): only a person with a confirmed seat of their own gets it, on every URL that serves it.
Waiting, an open offer, a cancelled registration, a colleague's seat or another organisation's
membership is no seat."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.core.models import SeatStatus
from portal.guidebook import services
from portal.meetings import services as meetings
from portal.meetings.models import Registration

from ..factories import MembershipFactory
from ..meetings.conftest import make_event
from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

LIBRARY_TITLE = "交流会参加者向け 事例集"
MEETING_TITLE = "当日のスライド"


@pytest.fixture
def world(coordinator, org_a, admin_a, admin_b):
    event = make_event(coordinator, days=10, deadline_days=2, capacity=2, per_organization=5)
    people = {name: MembershipFactory(organization=org_a).user for name in ("confirmed", "cancelled")}
    people.update({name: MembershipFactory(organization=org_a).user for name in ("offered", "waitlisted")})
    regs = {name: meetings.register(actor=user, event=event) for name, user in people.items()}
    meetings.cancel(actor=people["cancelled"], registration=regs["cancelled"])  # the seat goes to "offered"
    statuses = dict(Registration.objects.filter(event=event).values_list("user__email", "status"))
    assert {name: statuses[user.email] for name, user in people.items()} == {
        "confirmed": SeatStatus.CONFIRMED,
        "cancelled": SeatStatus.CANCELLED,
        "offered": SeatStatus.OFFERED,
        "waitlisted": SeatStatus.WAITLISTED,
    }
    people["colleague"] = admin_a  # same organisation as the attendee, not registered
    people["other organisation"] = admin_b  # the meeting is open to its kind, but no registration
    library = services.material_create(
        actor=coordinator,
        upload=pdf_upload("事例集.pdf", size=100),
        title=LIBRARY_TITLE,
        category="meeting",
        fiscal_year=2026,
        audience="event",
        event=event,
    )
    own = meetings.material_add(
        actor=coordinator,
        event=event,
        title=MEETING_TITLE,
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    return event, people, library, own


def _urls(event, library, own):
    return {
        "library download": reverse("guidebook:download", args=[library.pk]),
        "library version": reverse("guidebook:version_download", args=[library.versions.get().pk]),
        "library page": reverse("guidebook:material_detail", args=[library.pk]),
        "meeting material": reverse("meetings:material_download", args=[event.pk, own.pk]),
    }


def test_confirmed_attendee_gets_every_attendee_only_url(client, world):
    event, people, library, own = world
    client.force_login(people["confirmed"])
    for name, url in _urls(event, library, own).items():
        assert client.get(url).status_code == 200, name
    page = client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    assert LIBRARY_TITLE in page and MEETING_TITLE in page
    assert LIBRARY_TITLE in client.get(reverse("guidebook:material_list")).content.decode()


@pytest.mark.parametrize("who", ["waitlisted", "offered", "cancelled", "colleague", "other organisation"])
def test_no_seat_no_attendee_only_material(client, world, who):
    event, people, library, own = world
    client.force_login(people[who])
    refused = {name: client.get(url).status_code for name, url in _urls(event, library, own).items()}
    assert refused == {
        "library download": 404,
        "library version": 404,
        "library page": 404,
        "meeting material": 403,  # the meeting itself is open to them; its material is not
    }
    page = client.get(reverse("meetings:event_detail", args=[event.pk]))
    assert page.status_code == 200
    assert LIBRARY_TITLE not in page.content.decode() and MEETING_TITLE not in page.content.decode()
    assert LIBRARY_TITLE not in client.get(reverse("guidebook:material_list")).content.decode()


def test_signed_out_visitor_is_sent_to_sign_in(client, world):
    event, _people, library, own = world
    for name, url in _urls(event, library, own).items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], name
    assert LIBRARY_TITLE not in client.get(reverse("guidebook:material_list")).content.decode()


def test_another_meetings_material_is_not_served_through_a_meeting_one_attends(client, world, coordinator):
    event, people, _library, _own = world
    elsewhere = make_event(coordinator, days=12, deadline_days=2, title="別の交流会")
    foreign = meetings.material_add(
        actor=coordinator,
        event=elsewhere,
        title="別の会の資料",
        upload=SimpleUploadedFile("other.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    client.force_login(people["confirmed"])

    response = client.get(reverse("meetings:material_download", args=[event.pk, foreign.pk]))

    assert response.status_code == 404
