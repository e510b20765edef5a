"""Every request has an id, answered in X-Request-ID, written in each JSON log line, and carried into
the Celery tasks it queues (through the broker, run by a worker thread)."""

import json
import logging
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.core import logs

SEEN: list[str] = []


def test_a_request_gets_an_id_or_keeps_the_proxys(client):
    made = client.get(reverse("healthz_live"))
    kept = client.get(reverse("healthz_live"), headers={"X-Request-ID": "proxy-1234abcd"})
    refused = client.get(reverse("healthz_live"), headers={"X-Request-ID": "bad id\nInjected: yes"})

    assert len(made["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    assert refused["X-Request-ID"] != "bad id\nInjected: yes" and len(refused["X-Request-ID"]) == 32


def test_the_lines_django_writes_after_the_view_carry_the_request_id(client, caplog):
    caplog.handler.addFilter(logs.RequestIdFilter())

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", headers={"X-Request-ID": "proxy-5678efgh"})

    assert response.status_code == 404
    assert [r.request_id for r in caplog.records if r.name == "django.request"] == ["proxy-5678efgh"]
    assert logs.current_request_id() == ""  # cleared once the response was closed


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("portal.test", logging.WARNING, __file__, 1, "保存しました %s", ("x",), None)
    with logs.request_id_context("req-0123456789"):
        logs.RequestIdFilter().filter(record)
    line = json.loads(logs.JsonFormatter().format(record))

    assert line["request_id"] == "req-0123456789"
    assert line["message"] == "保存しました x" and line["level"] == "WARNING"


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_a_request_runs_under_the_requests_id():
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    @app.task(name="tests.logs.remember_request_id")
    def remember_request_id():
        SEEN.append(logs.current_request_id())

    app.conf.task_always_eager = False
    try:
        with (
            override_settings(CELERY_TASK_ALWAYS_EAGER=False),
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
        ):
            with logs.request_id_context("req-from-the-web-1234"):
                remember_request_id.delay()  # published to the broker, run by the worker's thread
            for _ in range(100):
                if SEEN:
                    break
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True

    assert SEEN == ["req-from-the-web-1234"]
