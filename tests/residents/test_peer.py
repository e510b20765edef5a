import datetime as dt

import pytest

from portal.core.dates import fiscal_year_of
from portal.core.models import OutboundEmail
from portal.residents import services
from portal.residents.models import PeerBooking, PeerDay

pytestmark = pytest.mark.django_db


def test_weekly_days_with_four_pairs_family_and_self_by_turns(coordinator):
    days = services.peer_schedule_create(actor=coordinator, fiscal_year=fiscal_year_of() + 1)

    assert 48 <= len(days) <= 53
    assert all(d.date.weekday() == 3 for d in days)
    assert all((b.date - a.date).days % 7 == 0 for a, b in zip(days, days[1:], strict=False))
    assert {d.kind for d in days} == {PeerDay.Kind.FAMILY, PeerDay.Kind.SELF}
    assert all(d.slots.count() == 4 for d in days[:3])


def test_one_booking_a_time_with_letter_and_reminders(coordinator):
    day = services.peer_schedule_create(actor=coordinator, fiscal_year=fiscal_year_of() + 1)[0]
    slot = day.slots.first()
    booking = services.peer_book(
        actor=coordinator, slot=slot, data={"nickname": "Bさん", "mode": "online", "email": "b@example.jp"}
    )

    with pytest.raises(services.SlotFull):
        services.peer_book(actor=coordinator, slot=slot, data={"nickname": "Cさん", "mode": "phone"})
    letter = OutboundEmail.objects.get(kind="residents/email/peer_confirmed")
    assert (
        letter.body_text.startswith("Bさん 様")
        and "ピアオンライン相談のご予約を承りました。" in letter.body_text
    )
    assert services.send_peer_reminders(today=day.date - dt.timedelta(days=3)) == 1
    assert services.send_peer_reminders(today=day.date - dt.timedelta(days=3)) == 0
    assert services.send_peer_reminders(today=day.date - dt.timedelta(days=1)) == 1

    services.peer_cancel(actor=coordinator, booking=booking)
    again = services.peer_book(actor=coordinator, slot=slot, data={"nickname": "Cさん", "mode": "phone"})
    assert again.status == PeerBooking.Status.CONFIRMED
