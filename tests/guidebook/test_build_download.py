"""The build page's download is named for what it holds: the published PDF is not a preview."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from portal.guidebook import services

pytestmark = pytest.mark.django_db


def _filename(response) -> str:
    return unquote(response["Content-Disposition"])


def test_published_build_downloads_without_preview_in_its_name(
    client, coordinator, edition, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        preview = services.build_request(actor=coordinator, edition=edition, preview=True)
    assert "プレビュー" in _filename(client.get(reverse("guidebook:build_pdf", args=[preview.pk])))
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish(actor=coordinator, edition=edition)
    assert not published.preview
    name = _filename(client.get(reverse("guidebook:build_pdf", args=[published.pk])))
    assert "プレビュー" not in name and "令和7年度版.pdf" in name
