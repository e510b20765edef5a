"""The support institutions of the renewal plan (section 7), loaded like the municipalities."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

REFERENCE_FILE = Path(__file__).parent / "reference" / "support_institutions.csv"


def load(path: Path | None = None) -> tuple[int, int]:
    """Create or update the institutions of the reference file (idempotent); returns (created, updated)."""
    from .models import SupportInstitution

    created = updated = 0
    with open(path or REFERENCE_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with transaction.atomic():
        for order, row in enumerate(rows, start=1):
            _obj, was_created = SupportInstitution.objects.update_or_create(
                category=row["category"],
                name=row["name"],
                location=row["location"],
                defaults={
                    "description": row["description"],
                    "audience": row["audience"],
                    "url": row["url"],
                    "order": order,
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
