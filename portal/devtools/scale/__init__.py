"""National-scale data for benchmarks: ``python manage.py generate_scale_data --scale 1.0``.

At scale 1.0 the portal holds what every prefecture's support network would (or Tokyo after ten
years): 1,741 municipalities, ~300 partner organisations, 50,000 users, 100,000 cases, 200,000
registrations, 1,000,000 audit events, 50,000 consultations and 100,000 downloads. ``--scale 0.02``
makes the same shape small enough for tests.

Development code: ``portal.devtools`` is installed by the development and test settings only, so
production has neither the command nor these generators. One module per app
(``portal/devtools/scale/<app>.py``) receives a :class:`Plan` and inserts its rows in bulk through
the models; :data:`GENERATORS` runs them in order. Generators are seeded (the same
scale gives the same rows) and idempotent (an app whose scale rows exist is skipped), and they read
what earlier ones made from the database, so a half-finished load can be resumed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from portal.core import feeds

# Every generated account has this domain: bench users sign in with SCALE_PASSWORD.
DOMAIN = "scale.example.jp"
SCALE_PASSWORD = "scale-bench-password-2026"  # noqa: S105 (benchmark data only)
BATCH = 5000
AUDIT_ADDRESS = "192.0.2.1"  # TEST-NET-1: marks the generated audit events

# Sizes at scale 1.0 (the national figures).
FULL = {
    "municipalities": 1741,
    "partners": 300,
    "users": 50_000,
    "cases": 100_000,
    "training_registrations": 100_000,
    "event_registrations": 100_000,
    "audit_events": 1_000_000,
    "consultations": 50_000,
    "downloads": 100_000,
    "events": 1_200,
    "materials": 1_000,
}


@dataclass
class Plan:
    scale: float
    seed: int = 20261130
    now: dt.datetime = field(default_factory=timezone.now)
    timings: dict[str, float] = field(default_factory=dict)

    def size(self, name: str, *, minimum: int = 1) -> int:
        return max(minimum, round(FULL[name] * self.scale))

    def rng(self, name: str) -> random.Random:
        """One random stream per generator, so adding rows to one never changes another's."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 (benchmark data, not secrets)

    def email(self, local: str) -> str:
        return f"{local}@{DOMAIN}"

    def years(self) -> list[int]:
        """Ten fiscal years ending with the current one."""
        from portal.core.dates import fiscal_year_of

        current = fiscal_year_of(timezone.localdate(self.now))
        return list(range(current - 9, current + 1))


def bulk(model, rows, *, batch: int = BATCH) -> int:
    """Insert ``rows`` (an iterable of unsaved instances) in batches; returns the count."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            model.objects.bulk_create(chunk, batch_size=batch)
            count += len(chunk)
            chunk = []
    if chunk:
        model.objects.bulk_create(chunk, batch_size=batch)
        count += len(chunk)
    return count


@contextlib.contextmanager
def own_timestamps(*models):
    """Let generated rows keep the dates they were given: ``auto_now``/``auto_now_add`` fields
    would otherwise stamp ten years of history with the moment of the load."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def analyze() -> None:
    """After a bulk load (PostgreSQL): fresh planner statistics, and the visibility map that lets a
    count or a late page read an index alone (tables that are only inserted into are otherwise not
    vacuumed for a long time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's, for one): there statistics only
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


# The generators in the order they run: each reads what the earlier ones made.
GENERATORS = (
    "accounts",
    "municipalities",
    "casereviews",
    "partners",
    "meetings",
    "training",
    "guidebook",
    "calendars",
    "audit",
)


def generate(*, scale: float, seed: int = 20261130, stdout=None) -> Plan:
    plan = Plan(scale=scale, seed=seed)
    for name in GENERATORS:
        generator = importlib.import_module(f"{__name__}.{name}")
        began = time.perf_counter()
        with transaction.atomic():
            generator.generate(plan=plan)
        plan.timings[name] = round(time.perf_counter() - began, 1)
        if stdout is not None:
            stdout.write(f"{name}: {plan.timings[name]} s")
    analyze()
    feeds.renew_all()  # bulk inserts send no signals: calendar feeds kept in the cache are built again
    return plan
