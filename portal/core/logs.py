"""One id per web request, in every log line the request writes and in the Celery tasks it queues.

The id comes from the reverse proxy's ``X-Request-ID`` when it sends a well-formed one (so the proxy's
access log and the portal's lines join up), or is made here; it is answered in ``X-Request-ID``.
Tasks carry it in a message header (``portal_request_id``) and the worker sets it while the task runs.
Production writes one JSON object per line (``JsonFormatter``): time, level, logger, message,
request_id, task; no request bodies, no form values.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

HEADER = "portal_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("portal_request_id", default="")
_task: contextvars.ContextVar[str] = contextvars.ContextVar("portal_task", default="")


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_id_context(value: str, *, task: str = ""):
    token, task_token = _request_id.set(value), _task.set(task)
    try:
        yield value
    finally:
        _request_id.reset(token)
        _task.reset(task_token)


def _request_started(sender=None, environ=None, **_kwargs):
    """The id is set when Django starts the request and cleared when the response is closed, so the
    lines Django writes after the middleware (``Not Found: …``) carry it too."""
    given = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    _request_id.set(given if _VALID.match(given) else uuid.uuid4().hex)


def _request_finished(sender=None, **_kwargs):
    _request_id.set("")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id.get()
        if not request_id:  # a handler that sent no request_started signal
            given = request.headers.get("X-Request-ID", "")
            request_id = given if _VALID.match(given) else uuid.uuid4().hex
            _request_id.set(request_id)
        request.request_id = request_id
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.task = _task.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "task": getattr(record, "task", "") or _task.get(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _stamp(headers=None, **_kwargs):
    """before_task_publish: the queuing request's id goes with the task."""
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


_tokens: dict[str, tuple] = {}


def _enter(task_id=None, task=None, **_kwargs):
    """task_prerun: the task runs under the id of the request that queued it (or its own)."""
    carried = task.request.get(HEADER) if task is not None else None
    request_id = carried or _request_id.get() or f"task-{task_id}"
    _tokens[task_id] = (_request_id.set(request_id), _task.set(getattr(task, "name", "")))


def _leave(task_id=None, **_kwargs):
    tokens = _tokens.pop(task_id, None)
    if tokens:
        _request_id.reset(tokens[0])
        _task.reset(tokens[1])


def connect_celery() -> None:
    from celery import signals
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_started, weak=False, dispatch_uid="portal.logs.request_started")
    request_finished.connect(_request_finished, weak=False, dispatch_uid="portal.logs.request_finished")
    signals.before_task_publish.connect(_stamp, weak=False, dispatch_uid="portal.logs.stamp")
    signals.task_prerun.connect(_enter, weak=False, dispatch_uid="portal.logs.enter")
    signals.task_postrun.connect(_leave, weak=False, dispatch_uid="portal.logs.leave")
