"""The one registration engine (portal.core.registrations) behind meetings and training: a freed
seat is offered inside the transaction that freed it, so a failure while offering it leaves the
cancellation undone as well (no seat released and never offered), and the offer's letter leaves
only once the transaction has committed."""

import pytest
from django.db import transaction

from portal.core import registrations as engine
from portal.core.models import OutboundEmail
from portal.meetings import services as meetings
from portal.meetings.models import Registration as EventRegistration
from portal.training import services as training
from portal.training.models import Course
from portal.training.models import Registration as TrainingRegistration

from ..factories import MembershipFactory
from ..meetings.conftest import make_event
from ..training.conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(db):
    return Course.objects.get(fiscal_year=2025, code="supporters-intro")


class Boom(Exception):
    pass


def _two(org):
    return [MembershipFactory(organization=org).user for _ in range(2)]


def _breaks_offers(monkeypatch):
    def boom(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(engine.waitlist, "offer_next", boom)


def test_training_cancel_and_offer_are_one_transaction(coordinator, intro, org_a, monkeypatch):
    session = make_session(coordinator, intro, capacity=1)
    a, b = _two(org_a)
    seated = training.register(actor=a, session=session)
    waiting = training.register(actor=b, session=session)
    _breaks_offers(monkeypatch)

    with pytest.raises(Boom):
        training.cancel(actor=a, registration=seated)

    assert TrainingRegistration.objects.get(pk=seated.pk).status == "confirmed"
    assert TrainingRegistration.objects.get(pk=waiting.pk).status == "waitlisted"


def test_meeting_cancel_and_offer_are_one_transaction(coordinator, org_a, monkeypatch):
    event = make_event(coordinator, capacity=1, per_organization=5)
    a, b = _two(org_a)
    seated = meetings.register(actor=a, event=event)
    waiting = meetings.register(actor=b, event=event)
    _breaks_offers(monkeypatch)

    with pytest.raises(Boom):
        meetings.cancel(actor=a, registration=seated)

    assert EventRegistration.objects.get(pk=seated.pk).status == "confirmed"
    assert EventRegistration.objects.get(pk=waiting.pk).status == "waitlisted"


@pytest.mark.parametrize("app", ["meetings", "training"])
def test_the_offer_letter_is_queued_on_commit(
    app, coordinator, intro, org_a, django_capture_on_commit_callbacks
):
    a, b = _two(org_a)
    if app == "meetings":
        event = make_event(coordinator, capacity=1, per_organization=5)
        seated, waiting = (meetings.register(actor=u, event=event) for u in (a, b))
        cancel = meetings.cancel
    else:
        session = make_session(coordinator, intro, capacity=1)
        seated, waiting = (training.register(actor=u, session=session) for u in (a, b))
        cancel = training.cancel

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        cancel(actor=a, registration=seated)
        offered = OutboundEmail.objects.filter(recipient=b, kind__endswith="email/offer")
        assert offered.count() == 1  # stored with the offer, in the same transaction

    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert callbacks, "the letter is handed to the mailer only after commit"
