"""Audit rows never carry text the organisation typed: a consultation is named by its number."""

import importlib

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from portal.core.models import AuditEvent
from portal.partners import services
from portal.partners.models import Consultation

from .conftest import NOW

TOPIC = "山田花子さんの家族との契約"


@time_machine.travel(NOW, tick=False)
@pytest.mark.django_db
def test_consultation_audit_rows_name_the_number_not_the_topic(lawyer, npo, npo_staff, coordinator, client):
    start, _end = services.available_slots(lawyer, days=8)[0]
    c = services.request_create(
        actor=npo_staff,
        organization=npo,
        field="legal",
        topic=TOPIC,
        description="会計の進め方について",
        fmt="online",
        attendees=[npo_staff],
        hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=start),
    )
    services.consultation_confirm(actor=coordinator, consultation=c)
    client.force_login(npo_staff)
    client.get(reverse("partners:consultation_detail", args=[c.pk]))
    c.refresh_from_db()
    services.record_write(actor=lawyer.user, consultation=c, summary="助言", private_notes="", now=c.ends_at)
    c.refresh_from_db()
    services.feedback_give(actor=npo_staff, consultation=c, rating=5)

    rows = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Consultation))
    actions = set(rows.values_list("action", flat=True))
    assert {"talent_bank.request", "talent_bank.confirm", "talent_bank.view", "talent_bank.record"} <= actions
    assert set(rows.values_list("object_repr", flat=True)) == {f"人材バンク相談 #{c.pk}"}
    assert not [e for e in AuditEvent.objects.all() if "山田" in e.object_repr or "山田" in str(e.details)]


@pytest.mark.django_db
def test_older_consultation_audit_rows_lose_their_topic(npo, npo_staff):
    consultation_type = ContentType.objects.get_for_model(Consultation)
    old = AuditEvent.objects.create(
        action="talent_bank.request",
        content_type=consultation_type,
        object_id="41",
        object_repr=f"法律: {TOPIC}",
    )
    other = AuditEvent.objects.create(action="accounts.login", object_repr="staff@npo.example.jp")

    importlib.import_module("portal.partners.migrations.0004_audit_repr_without_topic").scrub(apps, None)

    old.refresh_from_db()
    other.refresh_from_db()
    assert old.object_repr == "人材バンク相談 #41"
    assert other.object_repr == "staff@npo.example.jp"
