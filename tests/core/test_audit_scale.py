"""The audit log at a million rows: pages without ``COUNT(*)`` over the table (前へ／次へ and the
page number), day filters as timestamp ranges the log's index serves."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.core import audit
from portal.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _record(actor, org, n, action="test.event"):
    for _ in range(n):
        audit.record(actor=actor, action=action, obj=org)


def test_audit_log_pages_without_counting_the_table(client, coordinator, org_a):
    _record(coordinator, org_a, 51)
    url = reverse("core:audit_list")
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url, {"action": "test."}).content.decode()
    captured = ctx.captured_queries  # read before the next request resets the query log
    counts = [q["sql"] for q in captured if "COUNT(" in q["sql"] and "core_auditevent" in q["sql"]]
    last = client.get(url, {"action": "test.", "page": 2}).content.decode()

    assert captured and not counts
    assert first.count('data-action="test.event"') == 50 and "1ページ目" in first
    assert 'rel="next"' in first and "action=test." in first and "page=2" in first
    assert last.count('data-action="test.event"') == 1 and 'rel="next"' not in last
    assert 'rel="prev"' in last and "2ページ目" in last


def test_audit_log_day_filters_take_whole_tokyo_days(client, coordinator, org_a):
    _record(coordinator, org_a, 3)
    early, late, outside = AuditEvent.objects.filter(action="test.event").order_by("pk")
    day = dt.date(2026, 4, 1)
    tokyo = timezone.get_current_timezone()
    AuditEvent.objects.filter(pk=early.pk).update(created_at=dt.datetime(2026, 4, 1, 0, 5, tzinfo=tokyo))
    AuditEvent.objects.filter(pk=late.pk).update(created_at=dt.datetime(2026, 4, 1, 23, 55, tzinfo=tokyo))
    AuditEvent.objects.filter(pk=outside.pk).update(created_at=dt.datetime(2026, 4, 2, 0, 5, tzinfo=tokyo))
    client.force_login(coordinator)

    response = client.get(reverse("core:audit_list"), {"since": day, "until": day, "action": "test."})

    assert {e.pk for e in response.context["page"]} == {early.pk, late.pk}
