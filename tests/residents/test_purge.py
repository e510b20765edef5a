import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from portal.core import purge
from portal.core.models import AuditEvent
from portal.residents import services
from portal.residents.models import IndividualApplication, SeminarApplication

from .purge_examples import EXAMPLES

pytestmark = pytest.mark.django_db
MARKER = "ZqMarker7731"


def _rows_with(marker: str) -> list[str]:
    """Every text column of every table that still holds the marker, read back from the database."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if field.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField"):
                    column = connection.ops.quote_name(field.column)
                    cast = f"CAST({column} AS TEXT)"
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} WHERE {cast} LIKE %s",  # noqa: S608 (names from the models)
                        [f"%{marker}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{field.column}")
    return found


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_purge_leaves_no_trace_of_the_applicant_in_the_database(kind):
    EXAMPLES[kind](MARKER)
    assert _rows_with(MARKER), "the builder should plant the marker"
    later = timezone.now() + dt.timedelta(days=800 + 365)

    counts = purge.purge_due(now=later)

    assert counts[kind] == 1
    assert _rows_with(MARKER) == []
    assert _rows_with(MARKER.lower()) == []


def test_nothing_is_purged_before_the_retention_period_ends():
    EXAMPLES["residents.individual"](MARKER)
    assert list(services.individual_purge_candidates(now=timezone.now() + dt.timedelta(days=30))) == []


def test_purge_due_audits_the_counts():
    EXAMPLES["residents.individual"](MARKER)
    EXAMPLES["residents.seminar"](MARKER + "b")
    later = timezone.now() + dt.timedelta(days=60 + 365 + 30)

    counts = services.purge_due(now=later)

    assert counts == {"individual": 1, "seminar": 1, "peer": 0}
    assert AuditEvent.objects.get(action="residents.purge").details == counts
    assert IndividualApplication.objects.get().purged_at and SeminarApplication.objects.get().purged_at


def test_both_kinds_are_registered_with_the_core_purge():
    names = {k.name for k in purge.kinds()}
    assert {"residents.individual", "residents.seminar", "residents.peer"} <= names
