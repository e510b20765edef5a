"""Each source's groups map to its own states: training registrations, case-review meetings,
the network-building programme and touring-consultation days."""

import datetime as dt

import pytest

from portal.accounts import services as account_services
from portal.casereviews import services as casereviews
from portal.casereviews.models import Case
from portal.mailings import selectors, services
from portal.mailings.models import Mailing
from portal.municipalities import services as municipalities
from portal.outreach import services as outreach
from portal.training import services as training
from portal.training.models import Course

from ..casereviews.conftest import submitted_case
from ..factories import ExpertProfileFactory, MembershipFactory
from ..outreach.conftest import agree, book, plan_dates, plan_year
from ..training.conftest import make_session

pytestmark = pytest.mark.django_db


def _ids(coordinator, source, obj, group):
    mailing = services.mailing_create(
        actor=coordinator, source=source, source_obj=obj, group=group, subject="件名", body="{氏名}様"
    )
    return sorted(u for u, _o in selectors.audience(coordinator, mailing, obj))


def test_training_session_groups(coordinator, org_a):
    session = make_session(
        coordinator, Course.objects.get(fiscal_year=2025, code="supporters-intro"), capacity=1
    )
    seated, waiting = (MembershipFactory(organization=org_a).user for _ in range(2))
    training.register(actor=seated, session=session)
    training.register(actor=waiting, session=session)

    assert _ids(coordinator, Mailing.Source.SESSION, session, "confirmed") == [seated.pk]
    assert _ids(coordinator, Mailing.Source.SESSION, session, "waitlisted") == [waiting.pk]
    assert _ids(coordinator, Mailing.Source.SESSION, session, "attended") == []


def test_case_meeting_reaches_panel_experts_and_the_staff_who_wrote_its_cases(coordinator, org_a, member_a):
    expert = ExpertProfileFactory(panel_discipline="medical").user
    retired = ExpertProfileFactory(panel_discipline="legal").user
    first = casereviews.meetings_generate(actor=coordinator, fiscal_year=2030)[0]
    meeting = casereviews.meeting_update(
        actor=coordinator,
        meeting=first,
        based_on_version=first.version,
        starts_at=first.starts_at,
        venue="会議室",
        online_url="",
        capacity=3,
        panel=[expert, retired],
    )
    account_services.expert_set_active(actor=coordinator, profile=retired.expert, active=False)
    case = submitted_case(org_a, member_a)
    Case.objects.filter(pk=case.pk).update(meeting=meeting, slot=1)  # on the agenda

    assert _ids(coordinator, Mailing.Source.CASE_MEETING, meeting, "panel") == [expert.pk]
    assert _ids(coordinator, Mailing.Source.CASE_MEETING, meeting, "presenters") == [member_a.pk]
    assert _ids(coordinator, Mailing.Source.CASE_MEETING, meeting, "all") == sorted([expert.pk, member_a.pk])


def test_programme_groups_reach_the_staff_of_participating_or_applying_municipalities(
    coordinator, org_a, org_b, admin_a, admin_b
):
    programme = municipalities.programme_open(
        actor=coordinator, fiscal_year=2026, hearing_deadline=dt.date(2026, 12, 18)
    )
    municipalities.participation_add(actor=coordinator, programme=programme, organizations=[org_a])
    municipalities.participation_apply(actor=admin_b, programme=programme, organization=org_b)

    assert _ids(coordinator, Mailing.Source.PROGRAMME, programme, "participants") == [admin_a.pk]
    assert _ids(coordinator, Mailing.Source.PROGRAMME, programme, "applicants") == [admin_b.pk]


def test_touring_consultation_day_groups(coordinator, org_a, org_b, member_a):
    plan = outreach.plan_create(actor=coordinator, fiscal_year=plan_year())
    host = outreach.host_add(actor=coordinator, plan=plan, organization=org_a, dates=plan_dates())
    published = outreach.host_publish(actor=coordinator, host=agree(host, member_a))
    day = published.days.order_by("date").first()
    booker = MembershipFactory(organization=org_b).user
    book(booker, org_b, day, slot=day.slots.first())
    day.staff.add(coordinator)

    assert _ids(coordinator, Mailing.Source.OUTREACH_DAY, day, "confirmed") == [booker.pk]
    assert _ids(coordinator, Mailing.Source.OUTREACH_DAY, day, "host") == [member_a.pk]
    assert _ids(coordinator, Mailing.Source.OUTREACH_DAY, day, "staff") == [coordinator.pk]
    assert _ids(coordinator, Mailing.Source.OUTREACH_DAY, day, "all") == sorted(
        [booker.pk, member_a.pk, coordinator.pk]
    )
