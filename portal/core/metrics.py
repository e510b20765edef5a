"""Prometheus metrics at ``/metrics``, for the monitoring of a private network only.

- requests and their latency: django-prometheus's middleware (``django_http_*``)
- database queries of each request: ``portal_db_queries_total`` and ``portal_db_query_duration_seconds``
  (Django's public ``connection.execute_wrapper``)
- Celery: ``portal_celery_queue_length`` (tasks waiting in the broker) and
  ``portal_celery_task_failures_total`` (counted by the worker in the shared cache, so every host sees it)
- mail: ``portal_outbox_backlog`` (emails not yet sent, by status) and
  ``portal_outbox_oldest_unsent_seconds`` (age of the oldest of them)

Access: ``Authorization: Bearer <METRICS_TOKEN>``, or a client address in ``METRICS_ALLOWED_NETWORKS``
that came straight to the web server (a request forwarded by the reverse proxy never qualifies by
address, since the proxy's address is every visitor's). Anyone else gets 404.

With several gunicorn workers, ``PROMETHEUS_MULTIPROC_DIR`` (scripts/serve.sh sets it) makes every
worker's counters add up in one answer.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from contextlib import ExitStack

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

DB_QUERIES = Counter("portal_db_queries_total", "Database queries made by web requests", ["database"])
DB_QUERY_SECONDS = Histogram(
    "portal_db_query_duration_seconds",
    "Time of one database query made by a web request",
    ["database"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0),
)
FAILURES_KEY = "metrics:celery:task-failures"
FAILURES_BY_TASK = "metrics:celery:task-failures:"


class QueryMetricsMiddleware:
    """Counts and times each database query a request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ExitStack() as stack:
            for alias in settings.DATABASES:
                stack.enter_context(connections[alias].execute_wrapper(_QueryTimer(alias)))
            return self.get_response(request)


class _QueryTimer:
    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            DB_QUERIES.labels(self.alias).inc()
            DB_QUERY_SECONDS.labels(self.alias).observe(time.perf_counter() - started)


def record_task_failure(task_name: str) -> None:
    """Called by the worker (celery's task_failure signal): one more failure of that task."""
    for key in (FAILURES_KEY, FAILURES_BY_TASK + task_name):
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)
    names = set(cache.get(FAILURES_BY_TASK + "*", []))
    if task_name not in names:
        cache.set(FAILURES_BY_TASK + "*", sorted(names | {task_name}), timeout=None)


def celery_queue_length() -> int:
    """Tasks waiting in the broker's default queue (Redis list, or the file-system broker's folder)."""
    from portal.celery import app

    with app.connection_for_read() as conn:
        queue = app.conf.task_default_queue or "celery"
        channel = conn.default_channel
        client = getattr(channel, "client", None)
        if client is not None and hasattr(client, "llen"):  # Redis
            return int(client.llen(queue))
        _, count, _ = channel.queue_declare(queue=queue, passive=True)
        return int(count)


class PortalCollector:
    """Read at each scrape: the state of the outbox, the broker and the workers' failures."""

    def collect(self):
        from .models import OutboundEmail

        unsent = [OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING, OutboundEmail.Status.RETRYING]
        backlog = GaugeMetricFamily(
            "portal_outbox_backlog", "Emails stored in the outbox and not yet sent", labels=["status"]
        )
        counts = dict(
            OutboundEmail.objects.filter(status__in=unsent)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        for status in unsent:
            backlog.add_metric([status], counts.get(status, 0))
        yield backlog
        oldest = (
            OutboundEmail.objects.filter(status__in=unsent)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        yield GaugeMetricFamily(
            "portal_outbox_oldest_unsent_seconds",
            "Age of the oldest email not yet sent (0 when none waits)",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        queue = GaugeMetricFamily("portal_celery_queue_length", "Tasks waiting in the broker's queue")
        try:
            queue.add_metric([], celery_queue_length())
        except Exception:  # a broker that is down has no length; readiness reports it
            queue.add_metric([], float("nan"))
        yield queue
        failures = CounterMetricFamily(
            "portal_celery_task_failures", "Celery tasks that ended in an exception", labels=["task"]
        )
        for name in cache.get(FAILURES_BY_TASK + "*", []):
            failures.add_metric([name], cache.get(FAILURES_BY_TASK + name, 0))
        yield failures


def _allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    networks = getattr(settings, "METRICS_ALLOWED_NETWORKS", [])
    if not networks or "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


@never_cache
@require_GET
def metrics_view(request):
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    portal = CollectorRegistry()
    portal.register(PortalCollector())
    body = generate_latest(registry) + generate_latest(portal)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
