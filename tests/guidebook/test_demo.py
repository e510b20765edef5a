import io

import pytest
from django.core.management import call_command

from portal.guidebook.models import Build, Edition, Material

pytestmark = pytest.mark.django_db


def test_demo_guidebook_and_materials(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    edition = Edition.objects.get(fiscal_year=2025)
    assert edition.is_published
    assert edition.chapters.count() == 6
    assert Build.objects.get(edition=edition).status == "done"
    audiences = set(Material.objects.values_list("audience", flat=True))
    assert audiences == {"public", "members", "event"}
