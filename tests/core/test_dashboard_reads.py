"""What the dashboard reads: the notifications panel only when something is unread, and never a case's
or an advice's narrative for the expert's panels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.casereviews.models import NARRATIVE_FIELDS, AdviceRecord

from ..factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_unread_notifications_and_says_nothing_new_without_reading_when_all_are_read(
    client, login, admin_a, monkeypatch
):
    from portal.core import views

    login(admin_a)
    NotificationFactory(user=admin_a, title="既読のお知らせ", read_at=timezone.now())
    reads = []
    original = views.selectors.notifications_for
    monkeypatch.setattr(
        views.selectors, "notifications_for", lambda user: reads.append(user) or original(user)
    )

    nothing = client.get(reverse("core:dashboard")).content.decode()
    read_when_nothing_unread = len(reads)
    NotificationFactory(user=admin_a, title="未読のお知らせ")
    unread = client.get(reverse("core:dashboard")).content.decode()

    assert "新しいお知らせはありません。" in nothing and "既読のお知らせ" not in nothing
    assert read_when_nothing_unread == 0
    assert "未読のお知らせ" in unread and "既読のお知らせ" not in unread


def test_the_expert_dashboard_reads_no_narrative_of_cases_or_advice(client, login, expert):
    login(expert)
    narrative = [f'"casereviews_case"."{name}"' for name in NARRATIVE_FIELDS] + [
        f'"casereviews_advicerecord"."{name}"' for name in AdviceRecord.CONTENT_FIELDS
    ]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    read = [column for q in queries.captured_queries for column in narrative if column in q["sql"]]
    assert read == []
