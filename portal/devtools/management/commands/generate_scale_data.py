from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = (
        "Load national-scale data for benchmarks: --scale 1.0 is 1,741 municipalities, 50,000 users, "
        "100,000 cases, 1,000,000 audit events...; --scale 0.02 for tests. Seeded and idempotent. "
        "The accounts share a known password and TOTP secret: refused unless DEBUG is on or "
        f"{NOT_PRODUCTION_FLAG} is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=20261130)
        parser.add_argument(NOT_PRODUCTION_FLAG, action="store_true", dest="not_production")

    def handle(self, *args, scale: float, seed: int, not_production: bool, **options):
        if not (settings.DEBUG or settings.DEMO_DATA_ALLOWED or not_production):
            raise CommandError(
                "generate_scale_data creates accounts with a known password and is refused while "
                f"DEBUG is off. On a machine that is not production, pass {NOT_PRODUCTION_FLAG}."
            )
        if not 0 < scale <= 2:
            raise CommandError("--scale must be more than 0 and at most 2")
        from portal.devtools import scale as scale_data

        plan = scale_data.generate(scale=scale, seed=seed, stdout=self.stdout)
        self.stdout.write(f"scale {scale} loaded in {sum(plan.timings.values()):.1f} s")
