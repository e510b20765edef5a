"""Pages and files behind sign-in are never cached; token pages are never indexed."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.core import streaming
from portal.core.middleware import PrivateResponseMiddleware


@pytest.mark.django_db
def test_signed_in_page_is_private_no_store(client, member_a):
    client.force_login(member_a)

    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_signed_in_file_is_private_no_store(member_a):
    name = default_storage.save("tests/private/a.pdf", ContentFile(b"%PDF-1.4\n"))

    class Stored:
        def __init__(self):
            self.name, self.storage, self.size = name, default_storage, default_storage.size(name)

        def open(self, mode="rb"):
            return default_storage.open(name, mode)

    request = RequestFactory().get("/file")
    request.user = member_a
    try:
        response = PrivateResponseMiddleware(
            lambda r: streaming.serve(r, Stored(), filename="a.pdf", content_type="application/pdf")
        )(request)
    finally:
        default_storage.delete(name)

    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_public_download_keeps_its_public_caching(member_a):
    request = RequestFactory().get("/leaflet.pdf")
    request.user = member_a

    def public_view(r):
        response = HttpResponse(b"%PDF")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    assert PrivateResponseMiddleware(public_view)(request)["Cache-Control"] == "public, max-age=3600"


@pytest.mark.django_db
def test_certificate_verification_page_is_not_indexed(client):
    response = client.get(reverse("training:verify", args=["no-such-certificate"]))

    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.django_db
def test_ordinary_public_page_is_indexable(client):
    response = client.get(reverse("account_login"))

    assert "X-Robots-Tag" not in response


@pytest.mark.django_db
def test_every_response_carries_a_permissions_policy(client):
    for url in ("/", "/accounts/login/", "/no-such-page/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy
        assert "publickey-credentials-get=(self)" in policy  # security keys keep working
