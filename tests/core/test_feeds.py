"""Personal calendar feeds follow access: each source shows only what the person's current roles
allow, and ending someone's access ends their feed URL."""

import importlib

import pytest

from portal.accounts import services as account_services
from portal.accounts.demo import seed_demo as seed_accounts
from portal.accounts.models import ExpertProfile, Membership, Organization, User
from portal.core import feeds
from portal.core.models import AuditEvent, CalendarFeed


def _seed(*apps):
    seed_accounts()
    for app in apps:
        importlib.import_module(f"portal.{app}.demo").seed_demo()


def _fresh(email):
    return User.objects.get(email=email)  # no cached permissions


def _end_memberships(email):
    Membership.objects.filter(user__email=email).update(is_active=False)


def _end_expert(email):
    ExpertProfile.objects.filter(user__email=email).update(is_active=False)


SOURCES = [
    # (app whose demo holds the events, source, person, how their access ends)
    ("casereviews", "portal.casereviews.dashboard.meeting_events", "psychiatrist@example.jp", _end_expert),
    ("casereviews", "portal.casereviews.dashboard.meeting_events", "hachioji@example.jp", _end_memberships),
    ("meetings", "portal.meetings.dashboard.event_events", "hachioji@example.jp", _end_memberships),
    ("training", "portal.training.dashboard.training_events", "hachioji@example.jp", _end_memberships),
    (
        "municipalities",
        "portal.municipalities.dashboard.exchange_events",
        "hachioji@example.jp",
        _end_memberships,
    ),
    ("partners", "portal.partners.dashboard.consultation_events", "lawyer@example.jp", _end_expert),
    ("partners", "portal.partners.dashboard.consultation_events", "npo-a@example.jp", _end_memberships),
]


def _source(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "source", "email", "end_access"),
    SOURCES,
    ids=[f"{s.rsplit('.', 1)[1]}-{e.split('@')[0]}" for _a, s, e, _f in SOURCES],
)
def test_feed_source_shows_nothing_once_access_ended(app, source, email, end_access):
    _seed(app)
    events = _source(source)
    assert events(_fresh(email)), "the demo gives this person events in this source"

    end_access(email)

    assert events(_fresh(email)) == []


@pytest.mark.django_db
def test_feed_of_deactivated_user_ends(client):
    _seed("meetings")
    user = _fresh("hachioji@example.jp")
    token = feeds.feed_renew(actor=user)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="calendar_feed.end", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_feed_of_deactivated_expert_ends(client):
    _seed("casereviews")
    coordinator = _fresh("coordinator@example.jp")
    expert = _fresh("psychiatrist@example.jp")
    token = feeds.feed_renew(actor=expert)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200

    account_services.expert_set_active(actor=coordinator, profile=expert.expert, active=False)

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert AuditEvent.objects.filter(action="calendar_feed.end", object_id=str(expert.pk)).exists()


@pytest.mark.django_db
def test_feed_ends_with_membership(client, org_a, admin_a, member_a):
    token = feeds.feed_renew(actor=member_a)
    membership = Membership.objects.get(user=member_a, organization=org_a)

    account_services.membership_deactivate(
        actor=admin_a, membership=membership, based_on_version=membership.version
    )

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    event = AuditEvent.objects.get(action="calendar_feed.end", object_id=str(member_a.pk))
    assert event.details == {"reason": "membership.deactivate"}


@pytest.mark.django_db
def test_feed_ends_with_the_organisation(client, coordinator, org_a, member_a):
    token = feeds.feed_renew(actor=member_a)

    account_services.organization_set_active(
        actor=coordinator, organization=Organization.objects.get(pk=org_a.pk), active=False
    )

    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=member_a).exists()
