"""The case list and the year's statistics as exports: a fixed number of queries, the list's
filters, and never a word of a case's narrative."""

import pytest
from django.db import models
from django.urls import reverse

from portal.casereviews import services
from portal.casereviews.models import Case, Meeting

from ..exports import assert_flat, export
from ..factories import MembershipFactory, OrganizationFactory
from .conftest import CLEAN_CASE, submitted_case

pytestmark = pytest.mark.django_db

# The columns a case export may carry; every other text field of a case is the municipality's own
# words (or a reason typed by the secretariat) and stays in the portal.
EXPORTED_TEXT_FIELDS = {"reference", "status"}


def _cases(coordinator, n, *, meeting=False):
    """n submitted cases of different municipalities, every other one accepted and, if asked,
    scheduled on a meeting of its own."""
    created = []
    for i in range(n):
        org = OrganizationFactory()
        case = submitted_case(org, MembershipFactory(organization=org).user)
        if i % 2:
            case = services.case_accept(actor=coordinator, case=case)
            if meeting:
                m = Meeting.objects.create(
                    fiscal_year=2040 + Meeting.objects.count(), number=1, starts_at="2040-05-10T05:00:00Z"
                )
                case = services.case_schedule(actor=coordinator, case=case, meeting=m)
        created.append(case)
    return created


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_case_export_queries_flat(client, coordinator, fmt):
    client.force_login(coordinator)
    created = []

    rows, queries = assert_flat(
        client,
        reverse("casereviews:case_export"),
        lambda n: created.extend(_cases(coordinator, n, meeting=True)),
        fmt=fmt,
    )

    assert queries <= 30
    assert {row[0] for row in rows[1:]} == {c.reference for c in created}
    assert {row[4] for row in rows[1:]} == {str(Case.Status(c.status).label) for c in created}
    assert any(row[9].startswith("2040-05-10T14:00+09:00") for row in rows[1:])


def test_case_export_labels_statuses_in_japanese(client, coordinator):
    created = _cases(coordinator, 2)
    client.force_login(coordinator)

    rows, _ = export(client, reverse("casereviews:case_export"), "csv")

    codes = {c.status for c in created}
    labels = {str(dict(Case.Status.choices)[code]) for code in codes}
    assert {row[4] for row in rows[1:]} == labels
    assert not codes & {row[4] for row in rows[1:]}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_case_export_has_the_filtered_pages_rows(client, coordinator, fmt):
    created = _cases(coordinator, 4)
    client.force_login(coordinator)
    data = {"status": created[1].status}

    page = client.get(reverse("casereviews:case_list"), data)
    rows, _ = export(client, reverse("casereviews:case_export"), fmt, data)

    shown = [c.reference for c in page.context["page"]]
    assert [row[0] for row in rows[1:]] == shown
    assert 0 < len(shown) < len(created)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_case_export_carries_no_narrative(client, coordinator, org_a, member_a, fmt):
    text_fields = [
        f.name
        for f in Case._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and f.name not in EXPORTED_TEXT_FIELDS
    ]
    assert {"history", "question", "difficulty", "pseudonym", "decline_reason"} <= set(text_fields)
    narrative = {**CLEAN_CASE, "consent": "none", "consent_reason": "本人の同意は取れていない事情"}
    case = submitted_case(org_a, member_a, **narrative)
    case = services.case_decline(actor=coordinator, case=case, reason="対象外とした理由の記述")
    client.force_login(coordinator)

    rows, _ = export(client, reverse("casereviews:case_export"), fmt)

    cells = [str(v) for row in rows for v in row]
    typed = {name: getattr(case, name) for name in text_fields if len(str(getattr(case, name))) > 3}
    assert len(typed) >= 8  # the narrative is really there to be leaked
    leaked = {name for name, value in typed.items() if any(value in cell for cell in cells)}
    assert leaked == set()
    headers = set(rows[0])
    assert not {str(Case._meta.get_field(name).verbose_name) for name in text_fields} & headers


def test_case_export_is_for_the_secretariat_only(client, member_a):
    client.force_login(member_a)
    assert client.get(reverse("casereviews:case_export")).status_code == 403


def test_statistics_queries_flat_and_counted_by_the_database(client, coordinator):
    client.force_login(coordinator)
    url = reverse("casereviews:statistics")

    rows, queries = assert_flat(client, url, lambda n: _cases(coordinator, n), fmt=None, sheet=0)

    assert queries <= 30
    assert sum(row[1] for row in rows[1:]) == 25
    by_route, _ = export(client, url, None, sheet=2)
    assert dict((r[0], r[1]) for r in by_route[1:]) == {"ケース検討会議": 12, "未決定": 13}
    by_discipline, _ = export(client, url, None, sheet=1)
    assert dict((r[0], r[1]) for r in by_discipline[1:]) == {"医療": 25, "福祉": 25}


def test_statistics_read_counts_not_cases(client, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cases(coordinator, 3)
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as ctx:
        b"".join(client.get(reverse("casereviews:statistics")).streaming_content)

    case_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "casereviews_case"' in q["sql"]]
    assert len(case_reads) == 4
    assert all("GROUP BY" in sql and '"history"' not in sql for sql in case_reads)
