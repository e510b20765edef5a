"""Page titles: a form that came back with errors, and an error page, begin with 「エラー：」; the
case list and the new-case form are told apart by their titles."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_a_form_with_errors_titles_its_page_as_an_error(client, admin_a):
    client.force_login(admin_a)
    url = reverse("casereviews:case_create")

    fresh = client.get(url)
    refused = client.post(url, {"action": "submit", "age_band": "not-a-band"})

    assert not _title(fresh).startswith("エラー：")
    assert refused.status_code in (200, 400)
    assert _title(refused).startswith("エラー：")


def test_error_pages_are_titled_as_errors(client, admin_a):
    client.force_login(admin_a)

    assert _title(client.get("/no-such-page/")).startswith("エラー：")


def test_case_list_and_new_case_have_their_own_titles(client, admin_a):
    client.force_login(admin_a)

    listed = _title(client.get(reverse("casereviews:case_list")))
    new = _title(client.get(reverse("casereviews:case_create")))

    assert listed != new
