"""get_<field>_display() from portal.core.choice_labels gives exactly what Django's own gives."""

import pytest
from django.apps import apps
from django.utils import translation

from portal.casereviews.models import Case
from portal.core import choice_labels


def _choice_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.choices and isinstance(field.choices, (list, tuple)):
                yield model, field


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_choice_of_every_model_reads_as_django_would_read_it(language):
    checked = 0
    with translation.override(language):
        for model, field in _choice_fields():
            display = getattr(model, f"get_{field.name}_display")
            for value, _label in field.flatchoices:
                obj = model()
                setattr(obj, field.attname, value)
                django_label = choice_labels._django_display(obj, field)
                assert display(obj) == django_label, (model, field.name, value)
                # the same label for rows read as values, without an instance
                assert choice_labels.label(model, field.name, value) == django_label
                checked += 1
    assert checked > 100


def test_the_label_follows_the_active_language_and_an_unknown_value_reads_as_itself():
    case = Case(status=Case.Status.SUBMITTED)

    with translation.override("ja"):
        japanese = case.get_status_display()
    with translation.override("en"):
        english = case.get_status_display()
    case.status = "no-such-status"

    assert japanese != english and english == "Submitted"
    assert case.get_status_display() == "no-such-status"
    assert choice_labels.label(Case, "status", "no-such-status") == "no-such-status"


def test_every_model_reads_its_labels_through_the_table():
    fields = list(_choice_fields())

    assert fields
    for model, field in fields:
        name = f"get_{field.name}_display"
        bound = next(klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__)
        assert bound.func is choice_labels.get_field_display, (model, field.name)
