from pathlib import Path

from django.core.management.base import BaseCommand

from portal.core import registry


class Command(BaseCommand):
    help = (
        "Create or update the reference data of every app that registered a reference loader "
        "(the 62 municipalities, the partner organisations and the secretariat, the training "
        "catalogue, the support institutions; idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="folder with the CSV files")

    def handle(self, *args, data_dir=None, **options):
        for loader in registry.loaders(registry.REFERENCE):
            result = loader(data_dir=data_dir)
            self.stdout.write(f"{loader.app_label}: {result}")
