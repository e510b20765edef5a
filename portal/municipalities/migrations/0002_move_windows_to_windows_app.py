"""The consultation-window directory now lives in the windows app: the models leave this app's
migration state only; their tables stay (see windows 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
        ("windows", "0001_move_windows_from_municipalities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ConsultationWindow"),
                migrations.DeleteModel(name="DirectoryConfirmation"),
            ],
            database_operations=[],
        ),
    ]
