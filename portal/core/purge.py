"""One rule for every purge of a person's data.

Every model that holds what a resident or a case says about a person (cases, 訪問相談 referrals,
巡回相談 bookings, applications, mail consultations, consultation records …) registers **one** purge
kind here, in its app's ``AppConfig.ready()``::

    from portal.core import purge

    purge.register(
        "outreach.referral",
        model="outreach.VisitReferral",
        candidates="portal.outreach.services.purge_candidates",   # (now) -> iterable of rows due
        purge="portal.outreach.services.referral_purge",          # (obj, *, actor=None) -> None
    )

A kind's ``purge`` deletes or blanks the row's text fields, its revisions, confirmations,
attachments (files included) and every copy of its text in notifications, outbox rows and audit
labels (:func:`clear_copies` does the shared part). ``purge_due`` runs every kind's candidates
through its purge; the Celery task ``core.purge_due`` runs it nightly.

The generic test (tests/core/test_purge_completeness.py) plants a marker in every text field of a
record of each registered kind, purges it, and searches every text column of every table and the
media folder for the marker; a model holding personal data that no kind covers fails the suite.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PurgeKind:
    name: str
    model: str  # "app_label.ModelName"
    candidates: str | Callable[..., Iterable[Any]] = field(compare=False)
    purge: str | Callable[..., Any] = field(compare=False)
    # Models whose rows belong to a record of this kind and go with it (revisions, attachments …):
    # the completeness test counts them as covered.
    covers: tuple[str, ...] = ()

    def model_class(self):
        return apps.get_model(self.model)

    def due(self, *, now=None) -> Iterable[Any]:
        fn = import_string(self.candidates) if isinstance(self.candidates, str) else self.candidates
        return fn(now=now or timezone.now())

    def run(self, obj, *, actor=None) -> Any:
        fn = import_string(self.purge) if isinstance(self.purge, str) else self.purge
        return fn(obj, actor=actor)


_kinds: dict[str, PurgeKind] = {}


def register(
    name: str,
    *,
    model: str,
    candidates: str | Callable[..., Iterable[Any]],
    purge: str | Callable[..., Any],
    covers: Iterable[str] = (),
) -> PurgeKind:
    kind = PurgeKind(name=name, model=model, candidates=candidates, purge=purge, covers=tuple(covers))
    existing = _kinds.get(name)
    if existing is not None and existing != kind:
        raise ValueError(f"purge kind {name!r} is already registered for {existing.model}")
    _kinds[name] = kind
    return kind


def kinds() -> list[PurgeKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)


def kind(name: str) -> PurgeKind:
    return _kinds[name]


def purge_due(*, now=None) -> dict[str, int]:
    """Purge every record of every kind that is past its retention; the count per kind, each
    audited (``purge.run``, the kind and its count: never what was removed)."""
    return {k.name: run_kind(k, now=now) for k in kinds()}


def run_kind(kind_or_name: PurgeKind | str, *, now=None) -> int:
    """One kind's records past retention, purged; the count audited (``purge.run``)."""
    from . import audit

    k = _kinds[kind_or_name] if isinstance(kind_or_name, str) else kind_or_name
    n = 0
    for obj in list(k.due(now=now)):
        k.run(obj, actor=None)
        n += 1
    audit.record(actor=None, action="purge.run", details={"kind": k.name, "purged": n})
    return n


# --- the copies of a record's text elsewhere ------------------------------------------------------

# A text shorter than this is not searched for across every notification and e-mail (an initial
# such as 「A」 would blank unrelated rows); the copies are still found through the record's URL.
MIN_SEARCHED_TEXT = 4


def texts_of(obj: models.Model, fields: Iterable[str] | None = None) -> list[str]:
    """The non-empty text values of a row (its Char/Text fields, or the ones named), to hand to
    :func:`clear_copies` before they are blanked."""
    names = fields or [
        f.name
        for f in obj._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]
    return [str(v) for v in (getattr(obj, n, "") for n in names) if v]


def clear_copies(
    *,
    texts: Iterable[str] = (),
    urls: Iterable[str] = (),
    objects: Iterable[models.Model] = (),
) -> dict[str, int]:
    """Blank every copy of a record's text outside the record itself:

    - ``Notification`` bodies (and titles) linked to one of ``urls`` or holding one of ``texts``;
    - ``OutboundEmail`` rows (subject, bodies, attachments such as ICS files) linking to one of
      ``urls`` or holding one of ``texts``;
    - audit events about ``objects``: their label goes back to the model's name and key, and any
      details that hold one of ``texts`` are emptied (details never should; a slip is caught here).

    Runs in the caller's transaction. Returns how many rows of each kind were changed."""
    from django.contrib.contenttypes.models import ContentType

    from . import audit
    from .models import AuditEvent, Notification, OutboundEmail

    texts = sorted({t.strip() for t in texts if t and len(t.strip()) >= MIN_SEARCHED_TEXT})
    urls = sorted({u for u in urls if u})
    site = settings.SITE_URL.rstrip("/")

    note_rule = models.Q(pk__in=[])
    mail_rule = models.Q(pk__in=[])
    for url in urls:
        note_rule |= models.Q(url__startswith=url)
        mail_rule |= models.Q(body_text__contains=site + url) | models.Q(body_html__contains=url)
    mails = OutboundEmail.objects.annotate(attachments_text=Cast("attachments", models.TextField()))
    for text in texts:
        note_rule |= models.Q(body__contains=text) | models.Q(title__contains=text)
        mail_rule |= (
            models.Q(subject__contains=text)
            | models.Q(body_text__contains=text)
            | models.Q(body_html__contains=text)
            | models.Q(attachments_text__contains=text)
        )
    with transaction.atomic():
        cleared = {
            "notifications": Notification.objects.filter(note_rule).update(body="", title=_removed_title()),
            "emails": OutboundEmail.objects.filter(pk__in=mails.filter(mail_rule).values("pk")).update(
                subject=_removed_title(), body_text="", body_html="", attachments=[]
            ),
            "audit": 0,
        }
        for obj in objects:
            ct = ContentType.objects.get_for_model(obj)
            label = audit.object_label(obj)
            mine = AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk))
            cleared["audit"] += mine.exclude(object_repr=label).update(object_repr=label)
        if texts:
            detail_rule = models.Q(pk__in=[])
            for text in texts:
                # JSON as the database keeps it: SQLite stores non-ASCII text as \\u escapes.
                escaped = json.dumps(text)[1:-1]
                detail_rule |= (
                    models.Q(details_text__contains=text)
                    | models.Q(details_text__contains=escaped)
                    | models.Q(object_repr__contains=text)
                )
            leaking = AuditEvent.objects.annotate(details_text=Cast("details", models.TextField())).filter(
                detail_rule
            )
            cleared["audit"] += AuditEvent.objects.filter(pk__in=leaking.values("pk")).update(
                details={}, object_repr=""
            )
    return cleared


def _removed_title() -> str:
    from django.utils.translation import gettext

    return gettext("(removed after the retention period)")


# --- models that hold no one's personal data -----------------------------------------------------
# Every concrete model is either covered by a purge kind (its ``model`` or one of its ``covers``) or
# declared here with the reason, in its app's ``AppConfig.ready()``:
#
#     purge.no_personal_data("training.Course", "training.Session", reason="the catalogue: no person")
#
# A new model that is neither fails the completeness test, so personal data cannot be added silently.

_not_personal: dict[str, str] = {}


def no_personal_data(*models: str, reason: str) -> None:
    if not reason.strip():
        raise ValueError("say why these models hold no personal data")
    for label in models:
        _not_personal[label] = reason


def not_personal() -> dict[str, str]:
    return dict(_not_personal)


def covered_models() -> set[str]:
    """Model labels ("app_label.ModelName") covered by a registered purge kind."""
    return {label for k in kinds() for label in (k.model, *k.covers)}
