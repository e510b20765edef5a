"""Uploaded files on an S3-compatible bucket (MEDIA_STORAGE=s3), tested against a real S3 server:
moto's standalone server (moto.server, from PyPI like the rest of the suite; no Docker, no Node, no
binary to fetch, and it checks signatures, ranges and server-side encryption headers the way S3 does).
Downloads stay permission-checked and audited; ranges are answered; objects are encrypted at rest.
The two-host check (two gunicorn processes sharing the bucket) is scripts/storage_smoke.py."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse

from portal.casereviews import services as case_services
from portal.core import streaming
from portal.core.models import AuditEvent

from ..casereviews.conftest import CLEAN_CASE

BUCKET = "portal-media-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "portal",
                "secret_key": "portal-secret",
                "location": "media",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _case_with_file(member_a, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_services.case_create(
        actor=member_a,
        organization=org_a,
        data=CLEAN_CASE,
        uploads_=[SimpleUploadedFile("genogram.png", PNG, content_type="image/png")],
    )
    return case, case.attachments.get()


@pytest.mark.django_db
def test_a_case_file_is_stored_encrypted_in_the_bucket_and_served_after_the_permission_check(
    bucket, client, member_a, org_a, admin_b
):
    case, attachment = _case_with_file(member_a, org_a)
    url = reverse("casereviews:case_attachment", args=[case.pk, attachment.pk])

    head = bucket.head_object(Bucket=BUCKET, Key=f"media/{attachment.file.name}")
    client.force_login(admin_b)
    other = client.get(url)
    client.force_login(member_a)
    own = client.get(url)

    assert head["ServerSideEncryption"] == "AES256"
    assert other.status_code == 404
    assert own.status_code == 200 and b"".join(own.streaming_content) == PNG
    assert AuditEvent.objects.filter(action="case.attachment", actor=member_a).count() == 1


@pytest.mark.django_db
def test_a_range_is_served_from_the_bucket(bucket):
    from django.core.files.storage import default_storage

    name = default_storage.save("materials/film.mp4", ContentFile(b"0123456789" * 100))
    field_file = type("Stored", (), {"name": name, "storage": default_storage, "size": 1000})()
    field_file.open = lambda mode="rb": default_storage.open(name, mode)
    request = RequestFactory().get("/", HTTP_RANGE="bytes=10-19")

    response = streaming.serve(request, field_file, filename="研修.mp4", content_type="video/mp4")

    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1000"
    assert b"".join(response.streaming_content) == b"0123456789"


@pytest.mark.django_db
def test_presigned_downloads_leave_after_the_check_with_a_short_lived_address(
    bucket, client, settings, member_a, org_a, admin_b
):
    settings.FILE_OFFLOAD = "presigned"
    case, attachment = _case_with_file(member_a, org_a)
    url = reverse("casereviews:case_attachment", args=[case.pk, attachment.pk])

    client.force_login(admin_b)
    other = client.get(url)
    client.force_login(member_a)
    own = client.get(url)
    location = own["Location"]
    with urllib.request.urlopen(urllib.request.Request(location, headers={"Range": "bytes=8-15"})) as answer:
        status, body, disposition = answer.status, answer.read(), answer.headers["Content-Disposition"]

    assert other.status_code == 404
    assert own.status_code == 302 and own["Cache-Control"] == "private, no-store"
    assert "X-Amz-Expires=60" in location and "X-Amz-Signature=" in location
    assert status == 206 and body == PNG[8:16]
    assert "attachment" in disposition and "genogram.png" in disposition
    assert AuditEvent.objects.filter(action="case.attachment", actor=member_a).count() == 1
