import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.meetings import services
from portal.meetings.models import Registration

from ..factories import MembershipFactory

R = Registration.Status


@pytest.mark.django_db(transaction=True)
def test_register_confirms_with_ics_then_waitlists_when_full(event, admin_a, member_a, admin_b):
    first = services.register(actor=admin_a, event=event)
    second = services.register(actor=admin_b, event=event)
    third = services.register(actor=member_a, event=event)

    assert (first.status, second.status, third.status) == (R.CONFIRMED, R.CONFIRMED, R.WAITLISTED)
    confirmed_mail = [m for m in mail.outbox if m.to == [admin_a.email]][0]
    assert confirmed_mail.attachments[0][0] == "event.ics"
    assert "キャンセル待ち" in [m for m in mail.outbox if m.to == [member_a.email]][0].subject


@pytest.mark.django_db
def test_per_organisation_cap(event, admin_a, member_a, org_a):
    event.capacity = 10
    event.per_organization = 1
    event.save()
    services.register(actor=admin_a, event=event)

    with pytest.raises(ValidationError) as error:
        services.register(actor=member_a, event=event)
    assert "参加枠" in error.value.messages[0]


@pytest.mark.django_db
def test_audience_and_deadline(event, partner_member, admin_a):
    with pytest.raises(ValidationError):
        services.register(actor=partner_member, event=event)
    with pytest.raises(ValidationError):
        services.register(
            actor=admin_a, event=event, now=event.registration_deadline + dt.timedelta(minutes=1)
        )


@pytest.mark.django_db
def test_admin_registers_a_colleague_but_a_member_cannot(event, admin_a, member_a):
    registration = services.register(actor=admin_a, event=event, user=member_a)
    assert registration.user == member_a and registration.registered_by == admin_a
    services.cancel(actor=admin_a, registration=registration)
    with pytest.raises(PermissionDenied):
        services.register(actor=member_a, event=event, user=admin_a)


@pytest.mark.django_db
def test_cancellation_offers_the_seat_and_acceptance_confirms(event, admin_a, admin_b, member_a):
    first = services.register(actor=admin_a, event=event)
    services.register(actor=admin_b, event=event)
    waiting = services.register(actor=member_a, event=event)

    services.cancel(actor=admin_a, registration=first)

    waiting.refresh_from_db()
    assert waiting.status == R.OFFERED and waiting.offer_expires_at is not None
    waiting = services.accept_offer(actor=member_a, registration=waiting)
    assert waiting.status == R.CONFIRMED
    assert Registration.objects.filter(event=event, status=R.CONFIRMED).count() == 2


@pytest.mark.django_db
def test_an_unanswered_offer_expires_and_goes_to_the_next_person(event, admin_a, admin_b, member_a, org_b):
    other = MembershipFactory(organization=org_b).user
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        first = services.register(actor=admin_a, event=event)
        services.register(actor=admin_b, event=event)
        slow = services.register(actor=member_a, event=event)
        fast = services.register(actor=other, event=event)
        services.cancel(actor=admin_a, registration=first)
        slow.refresh_from_db()
        assert slow.status == R.OFFERED

        traveller.shift(dt.timedelta(hours=49))
        assert services.expire_offers() == 1

        slow.refresh_from_db()
        fast.refresh_from_db()
        assert slow.status == R.CANCELLED and fast.status == R.OFFERED
        with pytest.raises(ValidationError):
            services.accept_offer(actor=member_a, registration=slow)


@pytest.mark.django_db
def test_never_oversold(event, org_a, org_b):
    event.capacity = 3
    event.per_organization = 10
    event.save()
    people = [MembershipFactory(organization=org).user for org in (org_a, org_b) for _ in range(4)]
    for person in people:
        services.register(actor=person, event=event)
    assert Registration.objects.filter(event=event, status=R.CONFIRMED).count() == 3
    assert Registration.objects.filter(event=event, status=R.WAITLISTED).count() == 5


@pytest.mark.django_db
def test_proposal_through_the_guard_and_selection(event, admin_a, coordinator):
    with pytest.raises(ValidationError):
        services.propose(actor=admin_a, event=event, title="事例", summary="訪問支援の事例")
    services.register(actor=admin_a, event=event)
    with pytest.raises(services.PersonalDataFound):
        services.propose(
            actor=admin_a, event=event, title="事例", summary="山田太郎さん（090-1234-5678）の事例"
        )
    proposal = services.propose(
        actor=admin_a, event=event, title="長期化ケースへの訪問", summary="訪問支援の工夫"
    )
    services.proposal_decide(actor=coordinator, proposal=proposal, select=True)
    assert event.programme.get().title == "長期化ケースへの訪問"


@pytest.mark.django_db
def test_fair_exhibitors(coordinator, partner, partner_member):
    start = timezone.now() + dt.timedelta(days=30)
    fair = services.event_create(
        actor=coordinator,
        kind="fair",
        title="合同相談会（西部）",
        area="west",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        venue="立川",
        online_url="",
        audience=["partner"],
        capacity=40,
        per_organization=5,
        registration_deadline=start - dt.timedelta(days=7),
        description="",
    )
    application = services.exhibitor_apply(
        actor=partner_member, event=fair, organization=partner, staff_count=2, offer="訪問相談の紹介"
    )
    services.exhibitor_decide(actor=coordinator, application=application, approve=True)
    from django.test import Client

    page = Client().get(f"/fairs/{fair.pk}/")
    assert page.status_code == 200 and partner.name in page.content.decode()


@pytest.mark.django_db
def test_check_in_survey_and_certificate(event, admin_a, coordinator, client):
    registration = services.register(actor=admin_a, event=event)
    with pytest.raises(ValidationError):
        services.survey_submit(actor=admin_a, registration=registration, rating=5)
    services.check_in(actor=coordinator, registration=registration)
    services.survey_submit(actor=admin_a, registration=registration, rating=4, useful="事例共有")
    client.force_login(admin_a)
    response = client.get(f"/registrations/{registration.pk}/certificate.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_change_and_cancellation_reach_registrants_with_ics(event, admin_a, coordinator):
    services.register(actor=admin_a, event=event)
    mail.outbox.clear()

    event = services.event_update(
        actor=coordinator,
        event=event,
        based_on_version=event.version,
        starts_at=event.starts_at + dt.timedelta(hours=1),
        ends_at=event.ends_at + dt.timedelta(hours=1),
    )
    assert event.sequence == 1 and mail.outbox[0].attachments[0][0] == "event.ics"

    services.event_cancel(actor=coordinator, event=event)
    assert Registration.objects.get(user=admin_a).status == R.CANCELLED
    assert len(mail.outbox) == 2
    with pytest.raises(ValidationError):
        services.register(actor=admin_a, event=event)


@pytest.mark.django_db
def test_bigger_room_promotes_the_waiting_list(event, admin_a, admin_b, member_a, coordinator):
    services.register(actor=admin_a, event=event)
    services.register(actor=admin_b, event=event)
    waiting = services.register(actor=member_a, event=event)

    services.event_update(actor=coordinator, event=event, based_on_version=event.version, capacity=3)

    waiting.refresh_from_db()
    assert waiting.status == R.OFFERED
    with pytest.raises(ValidationError):
        event.refresh_from_db()
        services.event_update(actor=coordinator, event=event, based_on_version=event.version, capacity=1)


@pytest.mark.django_db
def test_admins_only_meeting(event, admin_a, member_a):
    event.admins_only = True
    event.save()
    with pytest.raises(ValidationError):
        services.register(actor=member_a, event=event)
    assert services.register(actor=admin_a, event=event).status == R.CONFIRMED


@pytest.mark.django_db
def test_create_form_defaults_the_deadline_to_17(coordinator, client):
    client.force_login(coordinator)
    page = client.get("/events/new/")
    assert 'value="17:00"' in page.content.decode()

    client.post(
        "/events/new/",
        {
            "kind": "supporters",
            "title": "新しい交流会",
            "area": "",
            "starts_at": "2027-02-10T14:00",
            "ends_at": "2027-02-10T16:00",
            "venue": "会議室",
            "online_url": "",
            "audience": ["municipality"],
            "capacity": 30,
            "per_organization": 3,
            "description": "",
            "deadline_date": "2027-02-03",
            "deadline_time": "17:00",
        },
    )

    from portal.meetings.models import Event

    event = Event.objects.get(title="新しい交流会")
    assert timezone.localtime(event.registration_deadline).strftime("%Y-%m-%d %H:%M") == "2027-02-03 17:00"
