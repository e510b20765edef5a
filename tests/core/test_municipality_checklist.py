"""Choosing several of the 62 municipalities: grouped check boxes with a search box, never a
multiple select where one plain click replaces the whole choice."""

import re
from pathlib import Path

import pytest
from django import forms

from portal.accounts.models import Organization
from portal.core.widgets import MunicipalityChecklist

from ..factories import OrganizationFactory


class Pick(forms.Form):
    areas = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).order_by("code"),
        widget=MunicipalityChecklist,
    )


@pytest.mark.django_db
def test_municipalities_are_grouped_check_boxes_with_a_search_box():
    ward = OrganizationFactory(name="千代田区", code="131016", municipality_kind="ward")
    city = OrganizationFactory(name="八王子市", code="132012", municipality_kind="city")
    OrganizationFactory(name="瑞穂町", code="133035", municipality_kind="town")
    OrganizationFactory(name="檜原村", code="133078", municipality_kind="village")

    html = str(Pick(initial={"areas": [city.pk]})["areas"])

    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends == ["特別区", "市", "町村"]
    assert "<select" not in html
    assert html.count('type="checkbox"') == 4
    assert re.search(rf'value="{city.pk}"[^>]*checked', html), "the chosen one is ticked"
    assert f'value="{ward.pk}"' in html
    assert 'type="search"' in html and "名前で絞り込む" in html


@pytest.mark.django_db
def test_the_choice_is_read_back_from_the_ticked_boxes():
    a = OrganizationFactory(name="千代田区", code="131016", municipality_kind="ward")
    b = OrganizationFactory(name="八王子市", code="132012", municipality_kind="city")

    form = Pick(data={"areas": [str(a.pk), str(b.pk)]})

    assert form.is_valid()
    assert set(form.cleaned_data["areas"]) == {a, b}


def test_no_form_offers_a_multiple_select():
    root = Path(__file__).resolve().parents[2] / "portal"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if re.search(r"\bSelectMultiple\b", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
