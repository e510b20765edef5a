"""Error reports to Sentry (or a self-hosted Sentry / GlitchTip) when ``SENTRY_DSN`` is set.

The portal holds 要配慮個人情報, so an event carries what a developer needs and nothing a person wrote:
no request body, cookies, query string or headers beyond the harmless ones, no local variables, no
task arguments; the user as their id only; any text outside ASCII (Japanese case text, names) and any
run of digits long enough to be a phone number is cut out of exception messages, log messages and
breadcrumbs.
"""

from __future__ import annotations

import contextvars
import re

SAFE_HEADERS = {"User-Agent", "Content-Type", "Content-Length", "Accept", "Accept-Language", "Hx-Request"}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_DIGITS = re.compile(r"\d[\d\- ]{5,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
MAX_TEXT = 300
# The signed-in person's id while their request runs; set on the event by scrub_event (the SDK's own
# user collection is off, since it would add e-mail addresses and IP addresses).
_user_id: contextvars.ContextVar[str] = contextvars.ContextVar("portal_error_user_id", default="")


def scrub_text(value):
    if not isinstance(value, str):
        return value
    value = _EMAIL.sub("[email]", value)
    value = _NON_ASCII.sub("[…]", value)
    value = _DIGITS.sub("[digits]", value)
    return value[:MAX_TEXT]


def scrub_event(event, hint=None):
    """Sentry's before_send: keep the shape of the failure, drop what a person wrote."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k in SAFE_HEADERS}
        if request.get("url"):
            request["url"] = request["url"].split("?", 1)[0]
    user_id = _user_id.get() or str((event.get("user") or {}).get("id") or "")
    event["user"] = {"id": user_id} if user_id else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = scrub_text(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry["message"] = scrub_text(logentry.get("message"))
        logentry["formatted"] = scrub_text(logentry.get("formatted"))
        logentry.pop("params", None)
    if "message" in event:
        event["message"] = scrub_text(event["message"])
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        crumb["message"] = scrub_text(crumb.get("message"))
        crumb.pop("data", None)
    contexts = event.get("contexts") or {}
    job = contexts.get("celery-job")
    if isinstance(job, dict):
        contexts["celery-job"] = {k: v for k, v in job.items() if k in ("task_name", "task_id")}
    event.pop("extra", None)
    return event


def init_sentry(dsn: str, *, environment: str = "production", release: str = "", traces: float = 0.0):
    """Called by the production settings when SENTRY_DSN is set."""
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[
            DjangoIntegration(transaction_style="url", middleware_spans=False, signals_spans=False),
            CeleryIntegration(monitor_beat_tasks=False),
            LoggingIntegration(event_level=None),  # exceptions only, not every error log line
        ],
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=30,
        traces_sample_rate=traces,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )


class ErrorContextMiddleware:
    """The signed-in person's id (nothing else about them) and the request id on any event."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import sentry_sdk

        if not sentry_sdk.get_client().is_active():
            return self.get_response(request)
        sentry_sdk.get_isolation_scope().set_tag("request_id", getattr(request, "request_id", ""))
        user = getattr(request, "user", None)
        token = _user_id.set(str(user.pk) if user is not None and user.is_authenticated else "")
        try:
            return self.get_response(request)
        finally:
            _user_id.reset(token)
