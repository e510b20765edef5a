import pytest
from django.urls import reverse

from portal.casereviews import services

from ..test_query_counts import assert_flat
from .conftest import submitted_case


@pytest.mark.django_db
def test_coordinator_case_list(coordinator, org_a, member_a, client):
    client.force_login(coordinator)
    assert_flat(
        client,
        reverse("casereviews:case_list"),
        lambda n: [submitted_case(org_a, member_a) for _ in range(n)],
    )


@pytest.mark.django_db
def test_municipal_case_list(org_a, member_a, client):
    client.force_login(member_a)
    assert_flat(
        client,
        reverse("casereviews:case_list"),
        lambda n: [submitted_case(org_a, member_a) for _ in range(n)],
    )


@pytest.mark.django_db
def test_expert_case_list(coordinator, org_a, member_a, panel_expert, client):
    from portal.casereviews.models import Meeting

    client.force_login(panel_expert)

    def add(n):
        for _ in range(n):
            meeting = Meeting.objects.create(
                fiscal_year=2040 + Meeting.objects.count(), number=1, starts_at="2040-05-10T05:00:00Z"
            )
            meeting.panel.add(panel_expert)
            case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
            services.case_schedule(actor=coordinator, case=case, meeting=meeting)

    assert_flat(client, reverse("casereviews:case_list"), add)


@pytest.mark.django_db
def test_meeting_list(coordinator, client):
    client.force_login(coordinator)
    year = iter(range(2031, 2100))
    assert_flat(
        client,
        reverse("casereviews:meeting_list"),
        lambda n: [services.meetings_generate(actor=coordinator, fiscal_year=next(year)) for _ in range(n)],
    )


@pytest.mark.django_db
def test_meeting_agenda(coordinator, org_a, member_a, meeting, client):
    client.force_login(coordinator)
    state = {"added": 0}

    def add(n):
        for _ in range(min(n, meeting.capacity - state["added"])):
            case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
            services.case_schedule(actor=coordinator, case=case, meeting=meeting)
            state["added"] += 1

    assert_flat(client, reverse("casereviews:meeting_detail", args=[meeting.pk]), add)
