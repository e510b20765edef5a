from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_detach_duplicate_reservations")]

    operations = [
        migrations.AddConstraint(
            model_name="consultation",
            constraint=models.UniqueConstraint(fields=("reservation",), name="consultation_one_per_reservation"),
        ),
    ]
