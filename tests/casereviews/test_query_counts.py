import pytest
from django.urls import reverse

from portal.casereviews import services

from ..queries import assert_flat
from .conftest import submitted_case


def assert_flat_and_listed(client, url, add_rows, shown):
    """Flat query count at 1 and at many rows, and every row added is on the page."""
    created = []
    assert_flat(client, url, lambda n: created.extend(add_rows(n)))
    page = client.get(url).content.decode()
    assert len(created) > 1
    assert [shown(row) for row in created if shown(row) not in page] == []


@pytest.mark.django_db
def test_coordinator_case_list(coordinator, org_a, member_a, client):
    client.force_login(coordinator)
    assert_flat_and_listed(
        client,
        reverse("casereviews:case_list"),
        lambda n: [submitted_case(org_a, member_a) for _ in range(n)],
        lambda case: case.reference,
    )


@pytest.mark.django_db
def test_municipal_case_list(org_a, member_a, client):
    client.force_login(member_a)
    assert_flat_and_listed(
        client,
        reverse("casereviews:case_list"),
        lambda n: [submitted_case(org_a, member_a) for _ in range(n)],
        lambda case: case.reference,
    )


@pytest.mark.django_db
def test_expert_case_list(coordinator, org_a, member_a, panel_expert, client):
    from portal.casereviews.models import Meeting

    client.force_login(panel_expert)

    def add(n):
        cases = []
        for _ in range(n):
            meeting = Meeting.objects.create(
                fiscal_year=2040 + Meeting.objects.count(), number=1, starts_at="2040-05-10T05:00:00Z"
            )
            meeting.panel.add(panel_expert)
            case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
            cases.append(services.case_schedule(actor=coordinator, case=case, meeting=meeting))
        return cases

    assert_flat_and_listed(client, reverse("casereviews:case_list"), add, lambda case: case.reference)


@pytest.mark.django_db
def test_meeting_list(coordinator, client):
    client.force_login(coordinator)
    year = iter(range(2031, 2100))
    assert_flat_and_listed(
        client,
        reverse("casereviews:meeting_list"),
        lambda n: [
            m for _ in range(n) for m in services.meetings_generate(actor=coordinator, fiscal_year=next(year))
        ],
        lambda meeting: reverse("casereviews:meeting_detail", args=[meeting.pk]),
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


@pytest.mark.django_db
def test_conflict_list(coordinator, org_a, client):
    from ..factories import ExpertProfileFactory

    client.force_login(coordinator)

    def add(n):
        return [
            services.conflict_declare(
                actor=coordinator,
                expert=ExpertProfileFactory(panel_discipline="legal").user,
                organization=org_a,
                reason=f"理由{ExpertProfileFactory._meta.model.objects.count()}x",
            )
            for _ in range(n)
        ]

    assert_flat_and_listed(
        client, reverse("casereviews:conflict_list"), add, lambda conflict: conflict.reason
    )


@pytest.mark.django_db
def test_expert_conflict_list(org_a, client):
    from ..factories import ExpertProfileFactory, enroll_totp

    expert = ExpertProfileFactory(panel_discipline="legal").user
    enroll_totp(expert)
    client.force_login(expert)

    def add(n):
        return [
            services.conflict_declare(actor=expert, expert=expert, organization=org_a, reason=f"理由{i}x")
            for i in range(len(expert.case_conflicts.all()), len(expert.case_conflicts.all()) + n)
        ]

    assert_flat_and_listed(
        client, reverse("casereviews:conflict_list"), add, lambda conflict: conflict.reason
    )
