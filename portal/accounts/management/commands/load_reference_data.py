from pathlib import Path

from django.core.management.base import BaseCommand

from portal.accounts import services


class Command(BaseCommand):
    help = (
        "Create or update the 62 municipalities, the partner organisations and the secretariat (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="folder with the CSV files")

    def handle(self, *args, data_dir=None, **options):
        result = services.load_reference_data(data_dir=data_dir)
        from portal.training import reference
        from portal.training.models import Course

        courses = reference.load(Course)
        from portal.directory.reference import load as load_support_institutions

        load_support_institutions()
        self.stdout.write(
            f"municipalities: {result.municipalities_created} created, "
            f"{result.municipalities_updated} updated; "
            f"partners: {result.partners_created} created, {result.partners_updated} updated; "
            f"training courses ({reference.FISCAL_YEAR}): {courses} created"
        )
