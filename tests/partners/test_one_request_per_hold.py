"""One held slot becomes at most one request: a request form sent again (one after the other or
several at once) makes no second consultation, uses no second quota place, and says so."""

import pytest
import time_machine
from django.db import IntegrityError, connection
from django.urls import reverse

from portal.core.dates import fiscal_year_of
from portal.partners import services
from portal.partners.models import Consultation

from ..races import together
from .conftest import NOW

C = Consultation.Status


def _request(actor, org, hold, topic="契約書の確認"):
    return services.request_create(
        actor=actor,
        organization=org,
        field="legal",
        topic=topic,
        description="会計の進め方について",
        fmt="online",
        attendees=[actor],
        hold=hold,
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_hold_sent_again_makes_no_second_request(lawyer, npo, npo_staff):
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    first = _request(npo_staff, npo, held)

    with pytest.raises(services.AlreadyRequested) as refused:
        _request(npo_staff, npo, held, topic="もう一度")

    assert refused.value.consultation == first
    assert "この枠はすでに申し込まれています" in refused.value.messages[0]
    assert list(Consultation.objects.values_list("pk", flat=True)) == [first.pk]
    assert services.quota_used(npo, "legal", fiscal_year_of()) == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_hold_of_a_cancelled_request_makes_no_new_request(lawyer, npo, npo_staff):
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    first = _request(npo_staff, npo, held)
    services.consultation_cancel(actor=npo_staff, consultation=first)

    with pytest.raises(services.AlreadyRequested):
        _request(npo_staff, npo, held)

    assert Consultation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_hold_sent_three_times_at_once_then_again_makes_exactly_one_request(lawyer, npo, npo_staff):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    start, _end = services.available_slots(lawyer)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    results = []

    def attempt():
        try:
            results.append(_request(npo_staff, npo, held).pk)
        except services.AlreadyRequested as exc:
            results.append(("told", exc.consultation.pk))

    together([attempt] * 3)
    with pytest.raises(services.AlreadyRequested):
        _request(npo_staff, npo, held)

    made = [r for r in results if not isinstance(r, tuple)]
    assert len(made) == 1, results
    assert sorted(r for r in results if isinstance(r, tuple)) == [("told", made[0])] * 2
    assert list(Consultation.objects.values_list("pk", flat=True)) == made
    assert services.quota_used(npo, "legal", fiscal_year_of()) == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_the_request_form_sent_again_lands_on_the_existing_request(lawyer, npo, npo_staff, client):
    client.force_login(npo_staff)
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    url = f"{reverse('partners:consultation_create')}?hold={held.pk}"
    data = {
        "hold": held.pk,
        "field": "legal",
        "topic": "契約書の確認",
        "description": "会計の進め方について",
        "format": "online",
        "attendees": [npo_staff.pk],
    }
    first = client.post(url, data)
    existing = Consultation.objects.get()

    again = client.post(url, {**data, "topic": "二度目"}, follow=True)

    assert first.status_code == 302
    assert again.redirect_chain == [(reverse("partners:consultation_detail", args=[existing.pk]), 302)]
    assert "この枠はすでに申し込まれています" in again.content.decode()
    assert Consultation.objects.count() == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_second_consultation_on_the_same_reservation_cannot_exist_or_be_confirmed(
    lawyer, npo, npo_staff, coordinator
):
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    first = _request(npo_staff, npo, held)
    with pytest.raises(services.AlreadyRequested):
        _request(npo_staff, npo, held)
    for c in Consultation.objects.filter(reservation=held):
        services.consultation_confirm(actor=coordinator, consultation=c)

    assert list(Consultation.objects.filter(status=C.CONFIRMED).values_list("pk", flat=True)) == [first.pk]
    with pytest.raises(IntegrityError):  # the database refuses a second claim on the reservation
        Consultation.objects.create(
            organization=npo,
            fiscal_year=first.fiscal_year,
            field="legal",
            topic="別の申込み",
            description="x",
            format="online",
            requested_by=npo_staff,
            reservation=first.reservation,
        )
