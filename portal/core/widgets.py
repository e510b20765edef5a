"""The form renderer: Django's templates, except for the widgets with many options.

A select of 1,741 municipalities or a roster of 500 check boxes renders one template include per
option through the template engine: about a millisecond each, most of a page's time. These three
widgets (select, check boxes, radio buttons) are written here in Python with exactly the markup of
Django's own templates (``tests/core/test_widgets.py`` compares the two on every kind of option);
any other widget, or an option with a template of its own, goes through the templates as before.

    FORM_RENDERER = "portal.core.widgets.Renderer"
"""

from __future__ import annotations

from django.forms import CheckboxSelectMultiple
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

W = "django/forms/widgets/"
OPTION_TEMPLATES = {W + "select_option.html", W + "checkbox_option.html", W + "radio_option.html"}


def _text(value) -> str:
    return str(conditional_escape(value))


def _attrs(attrs: dict) -> str:
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_text(str(value))}"')
    return "".join(out)


# Each template file ends with a line break, which its include keeps: hence the "\n"s below.
def _select_option(option: dict) -> str:
    value, attrs, label = _text(str(option["value"])), _attrs(option["attrs"]), _text(option["label"])
    return f'<option value="{value}"{attrs}>{label}</option>\n'


def _input_option(option: dict) -> str:
    value = "" if option["value"] is None else f' value="{_text(str(option["value"]))}"'
    kind, name = _text(option["type"]), _text(option["name"])
    field = f'<input type="{kind}" name="{name}"{value}{_attrs(option["attrs"])}>\n'
    if not option.get("wrap_label"):
        return field + "\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{_text(target)}"' if target else ""
    return f"<label{label_for}>{field} {_text(option['label'])}</label>\n\n"


def _options_known(widget: dict) -> bool:
    return all(
        o["template_name"] in OPTION_TEMPLATES for _, options, _ in widget["optgroups"] for o in options
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        parts += [f"\n  {_select_option(o)}" for o in options]
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple(widget: dict) -> str:
    attrs = widget["attrs"]
    head = "<div"
    if attrs.get("id"):
        head += f' id="{_text(attrs["id"])}"'
    if attrs.get("class"):
        head += f' class="{_text(attrs["class"])}"'
    parts = [head + ">"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        parts += [f"<div>\n    {_input_option(o)}</div>" for o in options]
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


IN_PYTHON = {W + "select.html": _select, W + "checkbox_select.html": _multiple, W + "radio.html": _multiple}


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        write = IN_PYTHON.get(template_name)
        widget = context.get("widget") if write else None
        if write and widget is not None and _options_known(widget):
            return mark_safe(write(widget).strip())  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request=request)


class MunicipalityChecklist(CheckboxSelectMultiple):
    """Many municipalities to pick several of: check boxes grouped 特別区・市・町村, each group a
    fieldset, with a search box that narrows the list (static/js/portal.js) — never a multiple
    select, where one plain click silently replaces the whole choice. Works without JavaScript."""

    template_name = "core/widgets/municipality_checklist.html"
    GROUPS = (
        ("ward", _("Special wards")),
        ("city", _("Cities")),
        ("town", _("Towns and villages")),
        ("village", _("Towns and villages")),
    )

    def optgroups(self, name, value, attrs=None):
        grouped: dict[str, list] = {}
        for _group, options, _index in super().optgroups(name, value, attrs):
            for option in options:
                instance = getattr(option["value"], "instance", None)
                grouped.setdefault(str(self._group_of(instance)), []).append(option)
        return [(label, options, i) for i, (label, options) in enumerate(grouped.items())]

    def _group_of(self, instance):
        kind = getattr(instance, "municipality_kind", "")
        return dict(self.GROUPS).get(kind, _("Other"))
