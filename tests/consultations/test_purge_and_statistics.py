"""Retention (purge after the last contact), 相談実績 on screen and as xlsx, the record search."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.consultations import services
from portal.consultations.models import Message, Note, Record, Resident, Thread
from portal.core import purge
from portal.core.models import AuditEvent, OutboundEmail

from .purge_examples import EXAMPLES

pytestmark = pytest.mark.django_db
MARKER = "ZQXMARKER7731"


def _tables_containing(marker: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for model in [Thread, Message, Note, Record, Resident, OutboundEmail, AuditEvent]:
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if field.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField"):
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{field.column}" AS TEXT) LIKE %s',
                        [f"%{marker}%"],
                    )  # noqa: S608 (names from the models)
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{field.column}")
    return found


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_each_kind_is_registered_and_its_purge_leaves_no_marker(kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = EXAMPLES[kind](MARKER)
    assert _tables_containing(MARKER)
    purge.kind(kind).run(obj, actor=None)
    assert _tables_containing(MARKER) == []
    assert AuditEvent.objects.filter(action=f"{kind}.purge").exists()


def test_threads_and_records_are_due_a_set_period_after_the_last_contact(settings, resident, time_machine):
    from .conftest import write

    settings.CONSULTATION_RETENTION_DAYS = 365
    time_machine.move_to(dt.datetime(2025, 1, 10, 10, 0, tzinfo=dt.UTC))
    thread = write(resident)
    time_machine.move_to(dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC))
    assert thread not in services.thread_purge_candidates(now=timezone.now())
    time_machine.move_to(dt.datetime(2026, 1, 11, 10, 0, tzinfo=dt.UTC))
    purge.purge_due(now=timezone.now())
    thread.refresh_from_db()
    assert thread.purged_at and not thread.messages.exists()
    assert Record.objects.get(thread=thread).purged_at is not None


def test_a_resident_who_left_is_purged_on_schedule(settings, resident, time_machine):
    settings.CONSULTATION_RETENTION_DAYS = 30
    time_machine.move_to(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC))
    services.resident_leave(resident=resident)
    assert resident not in services.resident_purge_candidates(now=timezone.now())
    time_machine.move_to(dt.datetime(2026, 4, 5, 10, 0, tzinfo=dt.UTC))
    purge.purge_due(now=timezone.now())
    resident.refresh_from_db()
    assert resident.purged_at and resident.nickname == "" and resident.email == ""


def _record(counsellor, **values):
    base = {
        "method": "phone",
        "date": dt.date(2026, 5, 12),
        "relation": "family",
        "age_band": "30s",
        "withdrawal": "u5y",
        "prefecture": "東京都",
        "topics": ["family", "work"],
        "referral": "window",
        "summary": "秘密の相談内容",
    }
    return services.record_create(actor=counsellor, values={**base, **values})


def test_statistics_xlsx_counts_by_month_method_and_dimension_without_narrative(client, counsellor):
    _record(counsellor)
    _record(counsellor, method="peer_online", relation="person", date=dt.date(2026, 6, 3))
    _record(counsellor, date=dt.date(2027, 4, 1))  # the next fiscal year: not counted
    client.force_login(counsellor)

    response = client.get(reverse("consultations:statistics_xlsx") + "?fiscal_year=2026")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    monthly = list(workbook.worksheets[0].iter_rows(values_only=True))
    header, may, june = monthly[0], monthly[2], monthly[3]
    assert may[0] == "2026-05" and may[header.index("電話相談")] == 1 and may[-1] == 1
    assert june[header.index("ピアオンライン相談")] == 1
    assert sum(row[-1] for row in monthly[1:]) == 2
    texts = [str(c) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "秘密の相談内容" not in " ".join(texts)
    relation = {r[0]: r[1] for r in workbook["相談者別"].iter_rows(min_row=2, values_only=True)}
    assert relation["家族"] == 1 and relation["本人"] == 1


def test_statistics_page_draws_the_chart_without_scripts(client, counsellor):
    _record(counsellor)
    client.force_login(counsellor)
    page = client.get(reverse("consultations:statistics") + "?fiscal_year=2026").content.decode()
    assert "<svg" in page and "<rect" in page
    assert "秘密の相談内容" not in page


def test_records_are_found_by_nickname_and_by_user_number(client, counsellor, resident):
    from .conftest import write

    thread = write(resident)
    other = _record(counsellor, nickname="みどり")
    client.force_login(counsellor)
    by_number = client.get(
        reverse("consultations:record_list"), {"q": resident.user_number.lower()}
    ).content.decode()
    assert thread.record.reference in by_number and other.reference not in by_number
    by_name = client.get(reverse("consultations:record_list"), {"q": "みどり"}).content.decode()
    assert other.reference in by_name and thread.record.reference not in by_name
