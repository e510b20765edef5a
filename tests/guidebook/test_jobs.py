"""A PDF build whose worker died, or whose broker message was never delivered, is not reused
forever: the beat task (or the next request) starts it again and the build page says so."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from portal.guidebook import services, tasks
from portal.guidebook.models import Build

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def _lost_build(coordinator, edition):
    """A build whose Celery message never arrived: the request's on-commit hook is not run."""
    with time_machine.travel(T0, tick=False):
        return services.build_request(actor=coordinator, edition=edition, preview=True)


def test_recently_queued_build_is_reused_and_not_restarted(coordinator, edition):
    build = _lost_build(coordinator, edition)
    with time_machine.travel(T0 + dt.timedelta(minutes=14), tick=False):
        assert services.build_request(actor=coordinator, edition=edition, preview=True) == build
        assert services.restart_stale_builds() == 0
    build.refresh_from_db()
    assert (build.status, build.restarts) == ("queued", 0)


def test_lost_build_is_restarted_by_the_beat_task_and_finishes(
    coordinator, edition, django_capture_on_commit_callbacks
):
    build = _lost_build(coordinator, edition)
    with (
        time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.restart_stale_builds() == 1
    build.refresh_from_db()
    assert (build.status, build.restarts, build.percent) == ("done", 1, 100)
    assert build.file.read().startswith(b"%PDF")


def test_build_killed_while_running_is_restarted(coordinator, edition, django_capture_on_commit_callbacks):
    build = _lost_build(coordinator, edition)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        services._progress(build, "レイアウト中", 20, status=Build.Status.RUNNING)  # then the worker dies
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        assert services.restart_stale_builds() == 0  # silent for 9 minutes: maybe just slow
    with (
        time_machine.travel(T0 + dt.timedelta(minutes=17), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.restart_stale_builds() == 1
    build.refresh_from_db()
    assert (build.status, build.restarts) == ("done", 1)


def test_requesting_a_lost_build_again_restarts_it_instead_of_reusing_it(
    coordinator, edition, django_capture_on_commit_callbacks
):
    build = _lost_build(coordinator, edition)
    with (
        time_machine.travel(T0 + dt.timedelta(hours=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        again = services.build_request(actor=coordinator, edition=edition, preview=True)
    assert again.pk == build.pk
    build.refresh_from_db()
    assert (build.status, build.restarts) == ("done", 1)


def test_build_page_says_it_was_interrupted_and_is_being_redone(client, coordinator, edition):
    build = _lost_build(coordinator, edition)
    client.force_login(coordinator)
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        stalled = client.get(reverse("guidebook:build_status", args=[build.pk])).json()
        assert stalled["note"] == "処理が止まっています。まもなくやり直します"
        services.restart_stale_builds()  # its message is lost again (on-commit hook not run)
        page = client.get(reverse("guidebook:build_detail", args=[build.pk])).content.decode()
        status = client.get(reverse("guidebook:build_status", args=[build.pk])).json()
    assert "処理が中断されたため、やり直しています" in page
    assert status["status_label"].startswith("処理が中断されたため、やり直しています")
    assert status["finished"] is False


def test_build_lost_again_and_again_stops_as_failed(coordinator, edition):
    build = _lost_build(coordinator, edition)
    for i in range(1, 5):
        with time_machine.travel(T0 + dt.timedelta(minutes=16 * i), tick=False):
            assert services.restart_stale_builds() == 1
    build.refresh_from_db()
    assert (build.status, build.restarts) == ("failed", 3)
    assert "中断" in build.error
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        assert services.restart_stale_builds() == 0
        assert services.build_request(actor=coordinator, edition=edition, preview=True) != build
