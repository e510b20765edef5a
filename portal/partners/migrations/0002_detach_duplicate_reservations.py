"""Before a reservation may belong to one consultation only: where a replayed request form made
several consultations on the same reservation, the first one keeps it (a confirmed or completed one
before a mere request); the others keep their text and status but no longer claim the slot, so the
secretariat sees them as requests without a time."""

from django.db import migrations
from django.db.models import Count

KEEP_FIRST = {"confirmed": 0, "completed": 0, "no_show": 0, "requested": 1, "declined": 2, "cancelled": 2}


def detach(apps, schema_editor):
    Consultation = apps.get_model("partners", "Consultation")
    shared = (
        Consultation.objects.exclude(reservation=None)
        .values("reservation")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("reservation", flat=True)
    )
    for reservation_id in list(shared):
        claims = sorted(
            Consultation.objects.filter(reservation_id=reservation_id),
            key=lambda c: (KEEP_FIRST.get(c.status, 3), c.pk),
        )
        Consultation.objects.filter(pk__in=[c.pk for c in claims[1:]]).update(reservation=None)


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(detach, migrations.RunPython.noop)]
