"""A certificate batch whose worker died, or whose broker message never arrived, is started again
by the beat task; every completion still gets exactly one certificate and one notice."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from portal.core.models import Notification
from portal.training import services, tasks
from portal.training.models import Certificate, CertificateBatch, Completion

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def _completions(course, org, n):
    return [
        Completion.objects.create(
            course=course, user=MembershipFactory(organization=org).user, organization=org, completed_at=T0
        )
        for _ in range(n)
    ]


def _lost_batch(coordinator, course):
    """A batch whose Celery message never arrived: the request's on-commit hook is not run."""
    with time_machine.travel(T0, tick=False):
        return services.certificate_batch_start(actor=coordinator, course=course)


def test_recent_batch_is_left_alone(coordinator, intro, org_a):
    _completions(intro, org_a, 2)
    batch = _lost_batch(coordinator, intro)
    with time_machine.travel(T0 + dt.timedelta(minutes=14), tick=False):
        assert services.restart_stale_batches() == 0
    batch.refresh_from_db()
    assert (batch.status, batch.restarts) == ("queued", 0)


def test_lost_batch_is_restarted_by_the_beat_task_and_finishes(
    coordinator, intro, org_a, django_capture_on_commit_callbacks
):
    _completions(intro, org_a, 2)
    batch = _lost_batch(coordinator, intro)
    with (
        time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.restart_stale_batches() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.restarts) == ("done", 2, 2, 1)
    assert Certificate.objects.filter(batch=batch).count() == 2


def test_batch_killed_halfway_issues_each_certificate_once(
    coordinator, intro, org_a, django_capture_on_commit_callbacks
):
    first, _second, _third = _completions(intro, org_a, 3)
    batch = _lost_batch(coordinator, intro)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        # The worker issued one certificate, then died.
        services.issue_certificate(first, batch=batch)
        CertificateBatch.objects.filter(pk=batch.pk).update(status="running", done=1)
    with (
        time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.restart_stale_batches() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 3, 3)
    assert Certificate.objects.count() == 3
    # The run after the restart told only the two people whose certificates it issued.
    assert Notification.objects.filter(user=first.user).count() == 0
    assert Notification.objects.count() == 2


def test_batch_page_says_it_was_interrupted_and_is_being_redone(client, coordinator, intro, org_a):
    _completions(intro, org_a, 1)
    batch = _lost_batch(coordinator, intro)
    client.force_login(coordinator)
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        assert client.get(reverse("training:batch_status", args=[batch.pk])).json()["note"]
        services.restart_stale_batches()  # its message is lost again
        page = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()
        status = client.get(reverse("training:batch_status", args=[batch.pk])).json()
    assert "処理が中断されたため、やり直しています" in page
    assert status["note"] == "処理が中断されたため、やり直しています"


def test_batch_lost_again_and_again_stops_as_failed(coordinator, intro, org_a):
    _completions(intro, org_a, 1)
    batch = _lost_batch(coordinator, intro)
    for i in range(1, 5):
        with time_machine.travel(T0 + dt.timedelta(minutes=16 * i), tick=False):
            assert services.restart_stale_batches() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.restarts) == ("failed", 3)
    assert "中断" in batch.error
