"""One rule for every purge (portal.core.purge), enforced here for every registered kind.

For each kind a builder (``tests/<app>/purge_examples.py``: ``EXAMPLES = {"kind": build}``) makes
records through the services, with a marker in every text a person can write. The test checks by
introspection that the marker really is in every text field of the models the kind covers (a builder
cannot skip a field), runs the kind's own candidates and purge, then searches **every text column of
every table** and the media folder for the marker. A kind without a builder fails, and so does a
model that no kind covers and that is not declared ``purge.no_personal_data``."""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

import tests
from portal.core import purge

# Text fields the portal fills itself (codes, references, hashes, the random stored file names,
# choices kept as JSON): no one types into them, so no marker can be planted there.
GENERATED = {
    "casereviews.Case.reference": "the generated reference",
    "casereviews.Case.route": "a route code for the statistics",
    "casereviews.Case.disciplines": "discipline codes",
    "casereviews.CaseTransition.from_status": "a status code",
    "casereviews.CaseTransition.to_status": "a status code",
    "casereviews.CaseAttachment.file": "the random stored name",
    "casereviews.CaseAttachment.stored_name": "the random stored name",
    "casereviews.CaseAttachment.content_type": "a MIME type",
    "casereviews.PersonalDataConfirmation.field": "a field name",
    "casereviews.PersonalDataConfirmation.kind": "a finding kind",
    "casereviews.PersonalDataConfirmation.text_hash": "the keyed hash",
    "outreach.VisitReferral.reference": "the generated reference",
    "outreach.ReferralConfirmation.field": "a field name",
    "outreach.ReferralConfirmation.kind": "a finding kind",
    "outreach.ReferralConfirmation.text_hash": "the keyed hash",
    "outreach.BookingConfirmation.field": "a field name",
    "outreach.BookingConfirmation.kind": "a finding kind",
    "outreach.BookingConfirmation.text_hash": "the keyed hash",
}

FAR_FUTURE = relativedelta(years=50)


def _examples() -> tuple[dict, dict]:
    """Each app's builders, with the fields a kind cannot reach (``UNREACHABLE``) and the text fields
    the app fills itself (``GENERATED``: codes, references, hashes), each with its reason."""
    builders, unreachable = {}, {}
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.purge_examples")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{info.name}.purge_examples":
                raise
            continue
        builders |= module.EXAMPLES
        unreachable |= getattr(module, "UNREACHABLE", {})
        GENERATED.update(getattr(module, "GENERATED", {}))
    return builders, unreachable


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def _holding(model, marker: str, fields=None):
    """The rows of ``model`` with the marker in one of its text columns (JSON read as text), in any
    case: an address is kept in lower case, and SQLite compares without case anyway."""
    fields = fields if fields is not None else _text_fields(model)
    if not fields:
        return model._base_manager.none()
    qs = model._base_manager.all()
    rule = models.Q(pk__in=[])
    for f in fields:
        if isinstance(f, models.JSONField):
            alias = f"purge_text_{f.column}"
            qs = qs.annotate(**{alias: Cast(f.name, models.TextField())})
            rule |= models.Q(**{f"{alias}__icontains": marker})
        else:
            rule |= models.Q(**{f"{f.name}__icontains": marker})
    return qs.filter(rule)


def leftovers(marker: str) -> list[str]:
    """Every table column still holding the marker: "app.Model.field #pk"."""
    found = []
    for model in apps.get_models():
        for f in _text_fields(model):
            for pk in _holding(model, marker, [f]).values_list("pk", flat=True):
                found.append(f"{model._meta.label}.{f.name} #{pk}")
    return found


def media_leftovers(root: Path, marker: str) -> list[str]:
    needle = marker.encode()
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if marker in path.name or (path.is_file() and needle in path.read_bytes())
    ]


def _planted(label: str, field: str, marker: str) -> bool:
    model = apps.get_model(label)
    return _holding(model, marker, [model._meta.get_field(field)]).exists()


def _must_hold(kind) -> list[tuple[str, str]]:
    return [
        (label, f.name)
        for label in (kind.model, *kind.covers)
        for f in _text_fields(apps.get_model(label))
        if not f.choices and f"{label}.{f.name}" not in GENERATED
    ]


@pytest.mark.django_db
def test_every_registered_kind_has_a_builder():
    builders, _ = _examples()
    missing = [k.name for k in purge.kinds() if k.name not in builders]
    assert not missing, f"purge kinds without a builder in tests/<app>/purge_examples.py: {missing}"
    assert {"casereviews.case", "casereviews.draft", "outreach.referral", "outreach.booking"} <= set(builders)


def test_every_model_is_covered_by_a_kind_or_declared_without_personal_data():
    covered, declared = purge.covered_models(), purge.not_personal()
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.label not in covered and m._meta.label not in declared
    ]
    assert not missing, (
        "register a purge kind for these models (portal.core.purge.register in the app's ready()), "
        f"or declare purge.no_personal_data(..., reason=...): {missing}"
    )
    for label in declared:
        apps.get_model(label)  # a declaration names a real model


@pytest.mark.django_db
@pytest.mark.parametrize("name", [k.name for k in purge.kinds()])
def test_purge_kind_leaves_no_copy_of_the_text_anywhere(name, settings, tmp_path):
    # Files on a real disk folder (the suite keeps them in memory), so the folder can be searched.
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    builders, unreachable = _examples()
    assert name in builders, f"no builder for the purge kind {name}"
    kind = purge.kind(name)
    marker = f"PMK{uuid.uuid4().hex[:9]}"

    built = builders[name](marker)
    records = list(built) if isinstance(built, list | tuple) else [built]

    # The builder planted the marker in every text field the kind covers.
    skipped = unreachable.get(name, {})
    not_planted = [
        f"{label}.{field}"
        for label, field in _must_hold(kind)
        if f"{label}.{field}" not in skipped
        and not _holding(
            apps.get_model(label), marker, [apps.get_model(label)._meta.get_field(field)]
        ).exists()
    ]
    assert not not_planted, f"the builder of {name} left these fields without the marker: {not_planted}"
    # Rows whose only text is what the portal derived from the person's text (the keyed hashes of
    # confirmed passages) cannot hold the marker: they must be gone after the purge.
    only_codes = [
        label
        for label in kind.covers
        if not any(lb == label for lb, _f in _must_hold(kind))
        and any(g.startswith(f"{label}.") for g in GENERATED)
    ]
    for label in only_codes:
        assert apps.get_model(label)._base_manager.exists(), f"the builder of {name} made no {label}"
    assert leftovers(marker), "the marker is nowhere before the purge"
    with_files = [
        label
        for label in (kind.model, *kind.covers)
        if any(isinstance(f, models.FileField) for f in apps.get_model(label)._meta.concrete_fields)
    ]
    if with_files:  # the media search below is not vacuous: the builder's files are where it looks
        assert media_leftovers(tmp_path, marker), f"the builder of {name} stored no file under MEDIA_ROOT"

    # The kind's own candidates include every record, and its purge removes every trace.
    due = {obj.pk for obj in kind.due(now=timezone.now() + FAR_FUTURE)}
    assert {r.pk for r in records} <= due, f"{name}: a record past retention is not a candidate"
    for record in records:
        kind.run(record, actor=None)

    assert leftovers(marker) == [], f"{name}: the marker survived the purge"
    assert media_leftovers(tmp_path, marker) == [], f"{name}: files with the marker survived the purge"
    for label in only_codes:
        left = apps.get_model(label)._base_manager.count()
        assert left == 0, f"{name}: {left} {label} rows (hashes of confirmed passages) survived the purge"
