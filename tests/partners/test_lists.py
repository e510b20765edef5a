"""Which rows each person sees on the talent bank's list pages: another organisation's user never
sees a request of ours, an expert only the consultations assigned to them."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from portal.partners import permissions, services
from portal.partners.models import Consultation, QuotaException

from ..factories import ExpertProfileFactory, MembershipFactory, PartnerFactory, enroll_totp
from .conftest import NOW


def _request(actor, org, topic, *, hold=None):
    return services.request_create(
        actor=actor,
        organization=org,
        field="legal",
        topic=topic,
        description="運営について",
        fmt="online",
        attendees=[actor],
        hold=hold,
        preferred_dates=[] if hold else [dt.date(2026, 6, 10)],
    )


def _topics(response) -> set[str]:
    return set(re.findall(r'href="/talent-bank/requests/\d+/">([^<]+)</a>', response.content.decode()))


@pytest.fixture
def two_organisations(lawyer, npo, npo_staff, coordinator):
    other_org = PartnerFactory(name="別の居場所")
    other_staff = MembershipFactory(organization=other_org).user
    other_lawyer = ExpertProfileFactory(panel_discipline="", talent_bank_discipline="legal").user
    enroll_totp(other_lawyer)
    with time_machine.travel(NOW, tick=False):
        start, _end = services.available_slots(lawyer, days=8)[0]
        ours = _request(
            npo_staff,
            npo,
            "当団体の相談",
            hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start),
        )
        services.consultation_confirm(actor=coordinator, consultation=ours)
        _request(npo_staff, npo, "当団体の希望日相談")
        _request(other_staff, other_org, "別団体の相談")
    return other_staff, other_lawyer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("npo_staff", {"当団体の相談", "当団体の希望日相談"}),
        ("other_staff", {"別団体の相談"}),
        ("lawyer", {"当団体の相談"}),
        ("other_lawyer", set()),
        ("coordinator", {"当団体の相談", "当団体の希望日相談", "別団体の相談"}),
    ],
)
def test_consultation_list_shows_only_what_each_person_may_read(
    two_organisations, npo_staff, lawyer, coordinator, client, who, expected
):
    other_staff, other_lawyer = two_organisations
    user = {
        "npo_staff": npo_staff,
        "other_staff": other_staff,
        "lawyer": lawyer.user,
        "other_lawyer": other_lawyer,
        "coordinator": coordinator,
    }[who]
    client.force_login(user)

    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("partners:consultation_list"))

    assert response.status_code == 200
    assert _topics(response) == expected


@pytest.mark.django_db
def test_expert_upcoming_list_shows_only_their_own_consultations(two_organisations, lawyer, client):
    _other_staff, other_lawyer = two_organisations
    ours = Consultation.objects.get(topic="当団体の相談")
    link = f'href="{reverse("partners:consultation_detail", args=[ours.pk])}"'
    with time_machine.travel(NOW, tick=False):
        client.force_login(lawyer.user)
        mine = client.get(reverse("partners:availability")).content.decode()
        client.force_login(other_lawyer)
        theirs = client.get(reverse("partners:availability")).content.decode()

    assert link in mine
    assert not re.search(r"/talent-bank/requests/\d+/", theirs)


@pytest.mark.django_db
def test_slot_list_for_another_organisation_hides_our_held_slot_and_who_holds_it(
    lawyer, npo, npo_staff, client
):
    other_staff = MembershipFactory(organization=PartnerFactory(name="別の居場所")).user
    with time_machine.travel(NOW, tick=False):
        start, _end = services.available_slots(lawyer, days=8)[0]
        services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
        client.force_login(other_staff)
        page = client.get(reverse("partners:slot_list"), {"field": "legal"}).content.decode()

    assert f'value="{start.isoformat()}"' not in page
    assert npo.name not in page and npo_staff.get_full_name() not in page
    assert page.count('name="start"') > 0  # the other free slots are offered


@pytest.mark.django_db
def test_quota_exceptions_are_seen_by_their_organisation_and_the_secretariat(npo, npo_staff, coordinator):
    other_org = PartnerFactory()
    other_staff = MembershipFactory(organization=other_org).user
    ours = services.quota_grant_exception(
        actor=coordinator, organization=npo, field="legal", fiscal_year=2026, extra=1, reason="緊急"
    )
    theirs = services.quota_grant_exception(
        actor=coordinator, organization=other_org, field="legal", fiscal_year=2026, extra=1, reason="緊急"
    )

    assert list(permissions.visible_quota_exceptions(npo_staff)) == [ours]
    assert list(permissions.visible_quota_exceptions(other_staff)) == [theirs]
    assert set(permissions.visible_quota_exceptions(coordinator)) == {ours, theirs}
    assert QuotaException.objects.count() == 2
