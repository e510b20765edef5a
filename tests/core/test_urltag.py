"""{% url %} (portal/core/urltag.py) gives Django's own addresses, whatever the view and numbers."""

import pytest
from django.template import Context, Engine, engines
from django.urls import NoReverseMatch, get_resolver, reverse

from portal.core import urltag

from ..test_permission_matrix import all_url_names, url_parameters


def _reverse_or_none(name, args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_every_named_address_with_numbers_reads_as_django_reverses_it():
    checked = 0
    for name in all_url_names(get_resolver()):
        if name.startswith("<unnamed"):
            continue
        count = len(url_parameters(name))
        for args in ([0] * count, [7] * count, list(range(12345, 12345 + count)), [10**12] * count):
            fast = urltag.fast_reverse(name, args)
            if fast is not None:
                assert fast == reverse(name, args=args), (name, args)
                checked += 1
            elif not name.startswith("admin:") and count == 0:
                assert _reverse_or_none(name, args) is not None
    assert checked > 300


def test_text_negative_or_true_arguments_and_admin_names_go_the_usual_way():
    assert urltag.fast_reverse("casereviews:case_detail", ["17"]) is None
    assert urltag.fast_reverse("casereviews:case_detail", [-1]) is None
    assert urltag.fast_reverse("casereviews:case_detail", [True]) is None
    assert urltag.fast_reverse("admin:index", []) is None


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'casereviews:case_detail' pk %}",
        "{% url 'casereviews:case_detail' pk as address %}[{{ address }}]",
        "{% url 'casereviews:case_detail' pk=pk %}",
        "{% url 'core:calendar_feed' token %}",
    ],
)
def test_the_template_tag_writes_what_djangos_tag_writes(source):
    ours = engines["django"].from_string(source)
    djangos = Engine().from_string(source)  # Django's builtins only: its own url tag
    values = {"pk": 17, "token": "abc<def>"}

    assert "FastURLNode" in repr(ours.template.nodelist) and "FastURLNode" not in repr(djangos.nodelist)
    assert ours.render(values) == djangos.render(Context(values))
