from django.core.management.base import BaseCommand

from portal.casereviews import services


class Command(BaseCommand):
    help = "Purge the narrative and attachments of closed cases past retention (CASE_RETENTION_YEARS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would be purged")

    def handle(self, *args, dry_run=False, **options):
        due = list(services.purge_candidates().select_related("organization"))
        for case in due:
            self.stdout.write(
                f"{case.reference}\t{case.organization}\tclosed {case.closed_at:%Y-%m-%d}"
                f"\tattachments {case.attachments.count()}"
            )
        if dry_run:
            self.stdout.write(f"{len(due)} case(s) would be purged (dry run: nothing changed)")
            return
        for case in due:
            services.purge_case(case=case)
        self.stdout.write(f"{len(due)} case(s) purged")
