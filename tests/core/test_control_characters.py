"""Control characters (U+0000–U+001F except tab, newline and CR) are taken out at the form boundary
by every form of the portal, and the Atom feed and the xlsx exports stay valid even for a row
stored with one before that."""

import importlib
import inspect
import io
import pkgutil
import xml.etree.ElementTree as ET

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

import portal
from portal.core.forms import TextCleaningMixin
from portal.directory.forms import ReturnForm
from portal.news.models import Post
from portal.subsidies.models import Application

from ..news.conftest import published
from ..subsidies.conftest import draft


def _portal_form_classes():
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        if (
            ".migrations" in info.name
            or info.name.endswith(("settings", "wsgi"))
            or ".settings." in info.name
        ):
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("portal."):
                yield cls


def test_every_form_of_the_portal_cleans_control_characters():
    classes = set(_portal_form_classes())
    assert len(classes) > 50  # the walk found the apps' forms
    missing = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, TextCleaningMixin)
    )
    assert missing == []


@pytest.mark.parametrize("as_querydict", [True, False], ids=["posted", "dict"])
def test_control_characters_are_taken_out_and_tabs_and_newlines_kept(as_querydict):
    text = "所在地\x00を\x01確認\x1fして\tください\r\n次の行\x0b"
    data = QueryDict(mutable=True) if as_querydict else {}
    data["comment"] = text
    form = ReturnForm(data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "所在地を確認して\tください\r\n次の行"


@pytest.mark.django_db
def test_feed_stays_valid_xml_with_a_stored_control_character(coordinator, org_a, member_a, client):
    post = published(coordinator, member_a, org_a, title="家族教室のお知らせ")
    Post.objects.filter(pk=post.pk).update(title="家族教室\x01のお知らせ", body="本文\x02です")

    response = client.get(reverse("news:feed"))

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "家族教室のお知らせ" in titles


@pytest.mark.django_db
def test_xlsx_export_opens_with_a_stored_control_character(coordinator, org_a, member_a, client):
    from ..subsidies.conftest import make_call

    call = make_call(coordinator, 2026)
    application = draft(call, org_a, member_a)
    Application.objects.filter(pk=application.pk).update(project_name="居場所\x03づくり")
    client.force_login(coordinator)

    response = client.get(reverse("subsidies:call_export", args=[call.pk]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = {cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row}
    assert "居場所づくり" in values
