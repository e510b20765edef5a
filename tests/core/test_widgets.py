"""The Python-written choice widgets give exactly the markup of Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.core.widgets import Renderer

CHOICES = [("a", "普通"), ("<b>", 'A & "B" <script>'), (3, "数"), ("", "—")]
GROUPED = [("区", [("1", "千代田区"), ("2", "中央区")]), ("市", [("3", "八王子市")]), ("x", "単独")]


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=CHOICES),
        forms.Select(choices=GROUPED, attrs={"class": "wide", "required": True, "disabled": False}),
        forms.SelectMultiple(choices=GROUPED),
        forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_people", "class": "checks"}),
        forms.CheckboxSelectMultiple(choices=GROUPED, attrs={"aria-describedby": "help"}),
        forms.CheckboxSelectMultiple(choices=CHOICES),  # no id
        forms.RadioSelect(choices=GROUPED, attrs={"id": "id_choice", "required": True}),
    ],
    ids=lambda w: type(w).__name__,
)
@pytest.mark.parametrize("value", [None, "a", ["<b>", "3"], "2"])
def test_python_markup_is_the_templates_markup(widget, value):
    expected = widget.render("field", value, renderer=DjangoTemplates())
    assert widget.render("field", value, renderer=Renderer()) == expected


def test_a_widget_with_its_own_option_template_uses_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html"  # same file, other name below

    widget = Custom(choices=CHOICES)
    widget.option_template_name = "django/forms/widgets/input_option.html"
    context = widget.get_context("field", "a", None)
    from portal.core import widgets

    assert not widgets._options_known(context["widget"])


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "portal.core.widgets.Renderer"
    assert isinstance(get_default_renderer(), Renderer)
