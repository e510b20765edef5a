from django.core.management.base import BaseCommand

from portal.accounts.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts and records (idempotent). Password: DEMO_PASSWORD (hikikomori-demo)."

    def handle(self, *args, **options):
        users = seed_demo()
        self.stdout.write(f"demo accounts ready: {', '.join(u.email for u in users)}")
