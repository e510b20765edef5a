from django.core.management.base import BaseCommand

from portal.accounts.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts and records (idempotent). Password: DEMO_PASSWORD (hikikomori-demo)."

    def handle(self, *args, **options):
        from django.db import transaction

        from portal.casereviews.demo import seed_demo as seed_cases
        from portal.guidebook.demo import seed_demo as seed_guidebook
        from portal.meetings.demo import seed_demo as seed_meetings
        from portal.municipalities.demo import seed_demo as seed_municipalities
        from portal.partners.demo import seed_demo as seed_talent_bank
        from portal.subsidies.demo import seed_demo as seed_subsidies
        from portal.training.demo import seed_demo as seed_training

        with transaction.atomic():
            users = seed_demo()
            seed_municipalities()
            seed_cases()
            seed_talent_bank()
            seed_meetings()
            seed_training()
            seed_guidebook()
            seed_subsidies()
        self.stdout.write(f"demo accounts ready: {', '.join(u.email for u in users)}")
