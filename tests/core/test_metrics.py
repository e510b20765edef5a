"""/metrics: the named series, and nobody without the token or a private network's direct connection."""

import pytest
from django.urls import reverse

from portal.core import metrics, outbox
from portal.core.models import OutboundEmail

SERIES = [
    "django_http_requests_total_by_method_total",
    "django_http_requests_latency_seconds_by_view_method_bucket",
    "django_http_responses_total_by_status_total",
    "portal_db_queries_total",
    "portal_db_query_duration_seconds_bucket",
    "portal_celery_queue_length",
    "portal_celery_task_failures_total",
    "portal_outbox_backlog",
    "portal_outbox_oldest_unsent_seconds",
]


def _value(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " ") or line.startswith(series + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{series} not in the answer")


@pytest.mark.django_db
def test_metrics_expose_every_named_series_with_the_token(client, settings, coordinator):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    metrics.record_task_failure("core.outbox_flush")
    client.force_login(coordinator)
    client.get(reverse("core:notification_list"))  # a request that queries the database
    client.logout()

    response = client.get(reverse("metrics"), headers={"Authorization": "Bearer scrape-token-0123456789"})

    assert response.status_code == 200
    text = response.content.decode()
    for series in SERIES:
        assert any(line.startswith(series) for line in text.splitlines()), series
    assert _value(text, 'portal_celery_task_failures_total{task="core.outbox_flush"}') >= 1
    assert _value(text, 'portal_db_queries_total{database="default"}') > 0


@pytest.mark.django_db
def test_metrics_report_the_outbox_backlog_and_the_oldest_unsent_mail(client, settings):
    import datetime as dt

    from django.utils import timezone

    settings.METRICS_TOKEN = "scrape-token-0123456789"
    mail = outbox.queue_email(to="a@example.jp", subject="件名", body_text="本文")
    OutboundEmail.objects.filter(pk=mail.pk).update(
        status=OutboundEmail.Status.RETRYING, created_at=timezone.now() - dt.timedelta(hours=2)
    )

    text = client.get(
        reverse("metrics"), headers={"Authorization": "Bearer scrape-token-0123456789"}
    ).content.decode()

    assert _value(text, 'portal_outbox_backlog{status="retrying"}') == 1
    assert 7100 < _value(text, "portal_outbox_oldest_unsent_seconds") < 7300


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": "Bearer "},
    ],
)
def test_metrics_are_hidden_without_the_token(client, settings, headers):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    settings.METRICS_ALLOWED_NETWORKS = []

    assert client.get(reverse("metrics"), headers=headers).status_code == 404


@pytest.mark.django_db
def test_metrics_are_hidden_when_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []

    assert client.get(reverse("metrics"), headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
def test_metrics_answer_a_private_network_but_not_through_the_proxy(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    direct = client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3")
    outside = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.9")
    # the proxy on a private address forwards a visitor from the internet
    forwarded = client.get(
        reverse("metrics"), REMOTE_ADDR="10.0.0.1", headers={"X-Forwarded-For": "203.0.113.9"}
    )

    assert (direct.status_code, outside.status_code, forwarded.status_code) == (200, 404, 404)


@pytest.mark.django_db
def test_a_failed_task_is_counted(settings):
    from django.core.cache import cache

    from portal.celery import app

    @app.task(name="tests.metrics.always_fails")
    def always_fails():
        raise RuntimeError("boom")

    before = cache.get(metrics.FAILURES_BY_TASK + "tests.metrics.always_fails", 0)
    always_fails.apply(throw=False)

    assert cache.get(metrics.FAILURES_BY_TASK + "tests.metrics.always_fails") == before + 1
