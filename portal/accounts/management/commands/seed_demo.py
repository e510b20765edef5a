from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.accounts.demo import seed_demo

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = (
        "Create the demo accounts and records (idempotent). Password: DEMO_PASSWORD (hikikomori-demo). "
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

        from portal.casereviews.demo import seed_demo as seed_cases
        from portal.directory.demo import seed_demo as seed_directory
        from portal.guidebook.demo import seed_demo as seed_guidebook
        from portal.meetings.demo import seed_demo as seed_meetings
        from portal.municipalities.demo import seed_demo as seed_municipalities
        from portal.news.demo import seed_demo as seed_news
        from portal.outreach.demo import seed_demo as seed_outreach
        from portal.partners.demo import seed_demo as seed_talent_bank
        from portal.subsidies.demo import seed_demo as seed_subsidies
        from portal.training.demo import seed_demo as seed_training
        from portal.windows.demo import seed_demo as seed_windows

        with transaction.atomic():
            users = seed_demo()
            seed_windows()
            seed_municipalities()
            seed_cases()
            seed_talent_bank()
            seed_meetings()
            seed_training()
            seed_guidebook()
            seed_outreach()
            seed_news()
            seed_directory()
            seed_subsidies()
        self.stdout.write(f"demo accounts ready: {', '.join(u.email for u in users)}")
