"""The consultation-window directory moves out of the municipalities app.

Only the migration state moves: the tables keep their names (``db_table``), so every window and
confirmation stays where it is. The content types move with the models, so audit rows and
permissions that name them keep pointing at them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("consultationwindow", "directoryconfirmation")


def _move_content_types(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)


def forwards(apps, schema_editor):
    _move_content_types(apps, "municipalities", "windows")


def backwards(apps, schema_editor):
    _move_content_types(apps, "windows", "municipalities")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("municipalities", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConsultationWindow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="window name")),
                        ("department", models.CharField(blank=True, max_length=200, verbose_name="department")),
                        ("phone", models.CharField(max_length=20, verbose_name="phone")),
                        ("hours", models.CharField(blank=True, max_length=200, verbose_name="opening hours")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                        ("web_url", models.URLField(blank=True, max_length=500, verbose_name="web page")),
                        (
                            "accepts_home_visit",
                            models.BooleanField(
                                default=False, verbose_name="receives home-visit (訪問相談) applications"
                            ),
                        ),
                        ("notes", models.TextField(blank=True, max_length=1000, verbose_name="notes")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("is_active", models.BooleanField(default=True)),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="windows",
                                to="accounts.organization",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "consultation window",
                        "verbose_name_plural": "consultation windows",
                        "db_table": "municipalities_consultationwindow",
                        "ordering": ["organization__code", "order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="DirectoryConfirmation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("fiscal_year", models.PositiveIntegerField()),
                        ("confirmed_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "confirmed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "municipalities_directoryconfirmation",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organization", "fiscal_year"), name="confirmation_unique_year"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
