"""The audit log and the outbox as xlsx and CSV: the page's filters, a fixed number of queries,
Japanese labels, formulas neutralised, each export audited."""

import pytest
from django.urls import reverse

from portal.core import audit, outbox
from portal.core.models import AuditEvent

from ..exports import assert_flat, export
from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_audit_export_queries_flat(client, coordinator, fmt):
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            audit.record(actor=UserFactory(), action="case.view", obj=OrganizationFactory())

    rows, _queries = assert_flat(client, reverse("core:audit_export"), add, fmt=fmt)
    assert rows[0][:4] == ["日時", "操作した人", "団体", "操作"]
    assert "ケースを閲覧" in {row[3] for row in rows[1:]}
    assert "case.view" not in {row[3] for row in rows[1:]}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_audit_export_has_the_filtered_pages_rows(client, coordinator, org_a, org_b, fmt):
    audit.record(actor=coordinator, action="case.view", obj=org_a)
    audit.record(actor=coordinator, action="auth.login", obj=org_b)
    client.force_login(coordinator)
    data = {"action": "case."}

    page = client.get(reverse("core:audit_list"), data).content.decode()
    rows, _ = export(client, reverse("core:audit_export"), fmt, data)

    assert [row[2] for row in rows[1:]] == [str(org_a)]
    assert 'data-action="case.view"' in page and 'data-action="auth.login"' not in page


def test_audit_export_is_audited_without_typed_text(client, coordinator):
    client.force_login(coordinator)

    export(client, reverse("core:audit_export"), "csv", {"actor_email": "秘密の入力"})

    event = AuditEvent.objects.filter(action="audit.export").get()
    assert event.details == {"format": "csv", "filters": ["actor_email"]}


def test_unknown_format_is_no_export(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("core:audit_export"), {"fmt": "pdf"}).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_outbox_export_filtered_flat_and_neutralised(client, coordinator, fmt):
    client.force_login(coordinator)

    def add(n):
        for i in range(n):
            outbox.queue_email(to=f"p{i}-{n}@example.jp", subject='=HYPERLINK("http://x")', body_text="b")

    rows, _ = assert_flat(client, reverse("core:outbox_export"), add, fmt=fmt)
    assert {row[2] for row in rows[1:]} == {'\'=HYPERLINK("http://x")'}
    assert {row[3] for row in rows[1:]} == {"送信待ち"}

    filtered, _ = export(client, reverse("core:outbox_export"), fmt, {"to": "p0-1@"})
    assert [row[1] for row in filtered[1:]] == ["p0-1@example.jp"]


def test_list_pages_link_their_exports_with_the_filters(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("core:audit_list"), {"action": "case.", "page": "1"}).content.decode()
    assert reverse("core:audit_export") + "?action=case.&amp;fmt=xlsx" in page
    assert reverse("core:audit_export") + "?action=case.&amp;fmt=csv" in page
