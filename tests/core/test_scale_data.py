"""`generate_scale_data`: the national shape at a small scale, seeded and idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.accounts.models import Membership, Organization, User
from portal.casereviews.models import Case
from portal.core.models import AuditEvent
from portal.devtools.scale import FULL
from portal.guidebook.models import Download
from portal.meetings.models import Registration as EventRegistration
from portal.partners.models import Consultation
from portal.training.models import Registration as TrainingRegistration

pytestmark = pytest.mark.django_db

SCALE = 0.02


def _counts():
    return {
        "municipalities": Organization.objects.filter(kind="municipality").count(),
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "event_registrations": EventRegistration.objects.count(),
        "training_registrations": TrainingRegistration.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "consultations": Consultation.objects.count(),
        "downloads": Download.objects.count(),
    }


def test_scale_data_has_the_national_shape_and_a_second_run_adds_nothing():
    call_command("generate_scale_data", scale=SCALE, stdout=io.StringIO())
    first = _counts()
    for name, count in first.items():
        expected = round(FULL[name] * SCALE)
        assert expected * 0.9 <= count <= expected * 1.1 + 62, (name, count, expected)
    # the bench accounts exist, each in the organisation the benchmark expects
    assert Membership.objects.get(user__email="municipal@scale.example.jp").organization.name == "スケール市"
    coordinator = Membership.objects.get(user__email="coordinator@scale.example.jp")
    assert coordinator.organization.kind == "secretariat"
    big = Organization.objects.get(name="スケール市")
    assert Case.objects.filter(organization=big).count() >= 0.14 * first["cases"]
    assert all(len(o.code) == 6 for o in Organization.objects.filter(kind="municipality"))

    call_command("generate_scale_data", scale=SCALE, stdout=io.StringIO())
    assert _counts() == first


def test_scale_data_is_refused_with_debug_off_outside_tests(settings):
    from django.core.management.base import CommandError

    settings.DEBUG, settings.DEMO_DATA_ALLOWED = False, False
    with pytest.raises(CommandError, match="i-know-this-is-not-production"):
        call_command("generate_scale_data", scale=SCALE)
