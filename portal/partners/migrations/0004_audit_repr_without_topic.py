"""Audit rows of consultations named the consultation by its topic (text the organisation typed).
They now name it by its number only; older rows are rewritten the same way."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    consultation = ContentType.objects.filter(app_label="partners", model="consultation").first()
    if consultation is None:
        return
    AuditEvent.objects.filter(content_type=consultation).update(
        object_repr=Concat(Value("人材バンク相談 #"), "object_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_consultation_one_per_reservation"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
