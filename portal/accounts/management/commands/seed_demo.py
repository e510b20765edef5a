from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = (
        "Create the demo accounts and records of every app that registered a demo loader (idempotent). "
        "Password: DEMO_PASSWORD (hikikomori-demo). "
        "The accounts have a known password and a known TOTP secret: the command refuses to run unless "
        f"DEBUG is on or {NOT_PRODUCTION_FLAG} is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            NOT_PRODUCTION_FLAG,
            action="store_true",
            dest="not_production",
            help="Create the demo accounts even though DEBUG is off (a demo or staging machine).",
        )

    def handle(self, *args, **options):
        from django.db import transaction

        if not (settings.DEBUG or settings.DEMO_DATA_ALLOWED or options["not_production"]):
            raise CommandError(
                "seed_demo creates accounts with a known password and a known TOTP secret and is "
                "refused while DEBUG is off. On a machine that is not production, "
                f"pass {NOT_PRODUCTION_FLAG}."
            )

        from portal.core import registry

        with transaction.atomic():
            results = {loader.app_label: loader() for loader in registry.loaders(registry.DEMO)}
        users = results["accounts"]  # the demo accounts' loader returns them
        self.stdout.write(f"demo accounts ready: {', '.join(u.email for u in users)}")
