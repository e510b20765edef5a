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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
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
    """Purge every record of every kind that is past its retention; the count per kind."""
    counts: dict[str, int] = {}
    for k in kinds():
        n = 0
        for obj in list(k.due(now=now)):
            k.run(obj, actor=None)
            n += 1
        counts[k.name] = n
    return counts


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
