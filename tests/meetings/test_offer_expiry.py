"""An offer accepted after its time ran out, but before the sweep lapsed it, is refused with a
message naming when it expired; the seat is not given."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.core.models import Reservation, SeatStatus
from portal.meetings import services
from portal.meetings.models import Registration

from .conftest import make_event

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)  # 令和8年6月1日（月）10:00 in Tokyo


@pytest.fixture
def offered(coordinator, admin_a, admin_b, member_a):
    with time_machine.travel(T0, tick=False):
        event = make_event(coordinator, capacity=1, per_organization=2)
        first = services.register(actor=admin_a, event=event)
        waiting = services.register(actor=member_a, event=event)
        services.cancel(actor=admin_a, registration=first)
    waiting.refresh_from_db()
    assert waiting.status == SeatStatus.OFFERED
    return waiting


def test_offer_accepted_in_time_confirms(offered, member_a, settings):
    hours = settings.EVENT_OFFER_HOURS
    with time_machine.travel(T0 + dt.timedelta(hours=hours) - dt.timedelta(minutes=1), tick=False):
        services.accept_offer(actor=member_a, registration=offered)
    offered.refresh_from_db()
    assert offered.status == SeatStatus.CONFIRMED


def test_expired_offer_is_refused_before_the_sweep_runs(offered, member_a, settings):
    late = T0 + dt.timedelta(hours=settings.EVENT_OFFER_HOURS, minutes=1)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError) as refused:
        services.accept_offer(actor=member_a, registration=offered)
    assert "令和8年6月3日（水）10:00に期限が切れた" in refused.value.messages[0]
    offered.refresh_from_db()
    assert offered.status == SeatStatus.OFFERED  # the sweep lapses it and offers the next person
    assert not Reservation.objects.filter(pk=offered.reservation_id, status="booked").exists()
    assert not Registration.objects.filter(event=offered.event, status=SeatStatus.CONFIRMED).exists()


def test_expired_offer_page_says_so(client, offered, member_a, settings):
    client.force_login(member_a)
    with time_machine.travel(T0 + dt.timedelta(hours=settings.EVENT_OFFER_HOURS, minutes=1), tick=False):
        page = client.post(reverse("meetings:offer_accept", args=[offered.pk]), follow=True)
    assert "期限が切れたため、参加を確定できません" in page.content.decode()
    offered.refresh_from_db()
    assert offered.status == SeatStatus.OFFERED
