import io

import pytest
from django.core.management import call_command

from portal.core.dates import fiscal_year_of
from portal.training.models import Certificate, Completion, Registration, Session

pytestmark = pytest.mark.django_db


def test_demo_training_records():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    completion = Completion.objects.get(user__email="hachioji@example.jp", course__fiscal_year=2025)
    assert completion.course.title == "ひきこもり概論"
    assert Certificate.objects.get(completion=completion).number == "R7-00001"
    upcoming = Session.objects.filter(course__fiscal_year=fiscal_year_of())
    assert upcoming.count() >= 5
    assert Registration.objects.filter(user__email="hachioji@example.jp", status="confirmed").count() == 3
    assert Registration.objects.get(user__email="bunkyo@example.jp").status == "waitlisted"
