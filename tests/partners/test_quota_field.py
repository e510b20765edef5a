"""The quota of a slot request counts the field of the expert whose slot was held, whatever field
the form sent: choosing another field does not dodge the quota."""

import pytest
import time_machine
from django.urls import reverse

from portal.partners import services
from portal.partners.models import Consultation

from .conftest import NOW


def _slot_request(actor, org, hold, field):
    return services.request_create(
        actor=actor,
        organization=org,
        field=field,
        topic="契約書の確認",
        description="会計の進め方について",
        fmt="online",
        attendees=[actor],
        hold=hold,
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_a_slot_request_counts_against_the_experts_field_not_the_typed_one(lawyer, npo, npo_staff, settings):
    settings.TALENT_BANK_DEFAULT_QUOTA = 1
    first_slot, second_slot = [s for s, _e in services.available_slots(lawyer, days=8)[:2]]
    first = _slot_request(
        npo_staff, npo, services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=first_slot), "medical"
    )

    with pytest.raises(services.QuotaReached):
        _slot_request(
            npo_staff,
            npo,
            services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=second_slot),
            "management",
        )

    assert first.field == "legal"
    assert list(Consultation.objects.values_list("field", flat=True)) == ["legal"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_the_slot_request_form_has_no_field_to_choose(lawyer, npo, npo_staff, client):
    client.force_login(npo_staff)
    start, _end = services.available_slots(lawyer, days=8)[0]
    held = services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start)
    url = f"{reverse('partners:consultation_create')}?hold={held.pk}"

    page = client.get(url).content.decode()
    client.post(
        url,
        {
            "hold": held.pk,
            "field": "medical",
            "topic": "契約書の確認",
            "description": "会計の進め方について",
            "format": "online",
            "attendees": [npo_staff.pk],
        },
    )

    assert 'name="field"' not in page and "<dt>分野</dt><dd>法務</dd>" in page
    assert Consultation.objects.get().field == "legal"
