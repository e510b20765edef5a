"""Production hands permitted downloads to nginx (X-Accel-Redirect): Django checks, nginx sends."""

import pytest
from django.urls import reverse

from .test_downloads import _material

pytestmark = pytest.mark.django_db


@pytest.fixture
def offload(settings):
    settings.FILE_OFFLOAD = "nginx"
    settings.FILE_OFFLOAD_PREFIX = "/protected-media/"


def test_a_permitted_download_is_handed_to_the_web_server(client, coordinator, offload):
    material = _material(coordinator, "public")
    version = material.versions.get()
    response = client.get(reverse("guidebook:download", args=[material.pk]))
    assert response.status_code == 200
    assert not response.streaming and response.content == b""  # no bytes through the worker
    assert response["X-Accel-Redirect"] == f"/protected-media/{version.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_a_refused_download_never_names_the_file(client, coordinator, offload):
    material = _material(coordinator, "members")
    response = client.get(reverse("guidebook:download", args=[material.pk]))
    assert response.status_code in (302, 403, 404)
    assert "X-Accel-Redirect" not in response


def test_make_run_streams_through_django(client, coordinator, settings):
    settings.FILE_OFFLOAD = ""
    material = _material(coordinator, "public")
    response = client.get(reverse("guidebook:download", args=[material.pk]))
    assert response.streaming and "X-Accel-Redirect" not in response
    b"".join(response.streaming_content)  # read to its end: the client's wrapper closes the file
