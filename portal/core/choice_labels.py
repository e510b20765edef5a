"""``get_<field>_display()`` from a table built once per field and language.

Django's own implementation rebuilds a dictionary of every choice on every call, hashing each lazy
label (one translation lookup per label): a list of 50 cases with three such columns spent a third of
its time there. The table here holds the same labels, translated into the active language, and is
built the first time a field's label is asked for in that language. Fields whose choices are computed
by a callable keep Django's behaviour, since their choices may change while the process runs.

Installed for every model by ``CoreConfig.ready``.
"""

from __future__ import annotations

from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_tables: dict[tuple[int, str | None], dict] = {}
_django_display = models.Model._get_FIELD_display


def _fixed_choices(field) -> bool:
    return isinstance(field.choices, (list, tuple))


def _table(field) -> dict:
    key = (id(field), get_language())
    table = _tables.get(key)
    if table is None:
        table = {
            make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices
        }
        _tables[key] = table
    return table


def label(model, field_name: str, value):
    """The label ``get_<field>_display()`` would show for ``value``, without a model instance (for
    rows read as values)."""
    field = model._meta.get_field(field_name)
    if not _fixed_choices(field):
        return force_str(dict(make_hashable(field.flatchoices)).get(make_hashable(value), value))
    return force_str(_table(field).get(make_hashable(value), value), strings_only=True)


def get_field_display(self, field):
    if not _fixed_choices(field):
        return _django_display(self, field)
    value = getattr(self, field.attname)
    try:
        label = _table(field).get(make_hashable(value), value)
    except TypeError:  # a value that cannot be hashed is shown as it is, as Django does
        return _django_display(self, field)
    return force_str(label, strings_only=True)


def install() -> None:
    """Point every model's ``get_<field>_display`` (which Django binds to its own implementation when
    the class is built) at ``get_field_display``; a model that defines its own is left alone."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            name = f"get_{getattr(field, 'name', '')}_display"
            current = model.__dict__.get(name)
            if isinstance(current, partialmethod) and current.func is _django_display:
                setattr(model, name, partialmethod(get_field_display, field=field))
