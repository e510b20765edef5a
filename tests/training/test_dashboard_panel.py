import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_training_panel_absent_for_an_expert_without_organisation(login, expert):
    # Arrange: an expert belongs to no organisation, so the training pages answer 403 for them.
    client = login(expert)
    assert client.get(reverse("training:catalogue")).status_code == 403

    # Act
    page = client.get(reverse("core:dashboard")).content.decode()

    # Assert: the dashboard links to no page the expert cannot open.
    assert f'href="{reverse("training:catalogue")}"' not in page
    assert f'href="{reverse("training:transcript")}"' not in page


def test_training_panel_shown_to_a_member(login, member_a):
    page = login(member_a).get(reverse("core:dashboard")).content.decode()

    assert 'id="panel-training"' in page
    assert f'href="{reverse("training:catalogue")}"' in page


def test_coordinators_panel_lists_the_next_five_sessions_each_with_its_own_seat_counts(
    login, coordinator, intro, org_a
):
    import datetime as dt

    from django.utils import timezone

    from portal.training import services
    from portal.training.models import Session

    from ..factories import MembershipFactory
    from .conftest import make_session

    cancelled = make_session(coordinator, intro, days=5)
    Session.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    past = make_session(coordinator, intro, days=6)
    Session.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1), ends_at=timezone.now() - dt.timedelta(hours=20)
    )
    sessions = [make_session(coordinator, intro, capacity=3, days=10 + n) for n in range(6)]
    for _ in range(4):  # three seats, then the waiting list
        services.register(actor=MembershipFactory(organization=org_a).user, session=sessions[0])
    services.register(actor=MembershipFactory(organization=org_a).user, session=sessions[2])

    response = login(coordinator).get(reverse("core:dashboard"))

    panel = next(p for p in response.context["panels"] if p["template"] == "training/panels/coordinator.html")
    shown = [(s.pk, s.confirmed, s.online_confirmed, s.waiting) for s in panel["sessions"]]
    assert shown == [
        (sessions[0].pk, 3, 0, 1),
        (sessions[1].pk, 0, 0, 0),
        (sessions[2].pk, 1, 0, 0),
        (sessions[3].pk, 0, 0, 0),
        (sessions[4].pk, 0, 0, 0),
    ]
    assert "3 / 3" in response.content.decode()
