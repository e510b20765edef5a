"""The one audit recorder.

Services call ``record(actor=..., action=..., obj=...)`` inside their transaction. The IP address
and active organisation of the current request are picked up from a context variable that
``AuditContextMiddleware`` sets, so services never touch HTTP. Details must never hold the
sensitive text itself: field names, statuses and counts only.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent

_current_request: contextvars.ContextVar[Any] = contextvars.ContextVar("portal_audit_request", default=None)


def set_request(request) -> contextvars.Token:
    return _current_request.set(request)


def reset_request(token: contextvars.Token) -> None:
    _current_request.reset(token)


def client_ip(request) -> str | None:
    # Behind the production proxy, REMOTE_ADDR is set by gunicorn from X-Forwarded-For only
    # when the proxy is trusted (forwarded_allow_ips); never trust the header here.
    return request.META.get("REMOTE_ADDR") or None


def _organization_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    from .registry import people

    if isinstance(obj, people().organization_model):
        return getattr(obj, "pk", None)
    return getattr(obj, "organization_id", None)


def object_label(obj: models.Model) -> str:
    """How an audit row names its object: never ``str(obj)``, which may be text a person typed (a
    case narrative, an action's description, a file name). A model may offer ``audit_label``, built
    only from codes, references and dates; otherwise the model's name and the primary key."""
    from django.conf import settings
    from django.utils import translation

    from .labels import model_label

    # Stored once, in the portal's language, whoever's language was active when it was recorded.
    with translation.override(settings.LANGUAGE_CODE):
        label = getattr(obj, "audit_label", None)
        if label is None:
            label = f"{model_label(obj)} #{obj.pk}"
        return str(label)[:200]


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organization=None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    request = _current_request.get()
    org_id = organization.pk if organization is not None else _organization_id_of(obj)
    if org_id is None and request is not None:
        org_id = getattr(getattr(request, "organization", None), "pk", None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_email=getattr(actor_obj, "email", "") or "",
        organization_id=org_id,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=object_label(obj) if obj is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        details=details or {},
    )


def history_for(obj: models.Model):
    return (
        AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor", "organization")
        .order_by("-created_at", "-id")
    )
