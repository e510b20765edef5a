"""A stored and served file carries the extension of its detected type, whatever it was called."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from portal.core import streaming, uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("x.html", "image/png", "x.png"),
        ("報告.exe", "application/pdf", "報告.pdf"),
        ("写真.JPEG", "image/jpeg", "写真.JPEG"),
        ("統計", "application/pdf", "統計.pdf"),
        ("名簿.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "名簿.xlsx"),
        ("data.bin", "application/octet-stream", "data.bin"),
    ],
)
def test_name_carries_the_extension_of_the_detected_type(name, content_type, expected):
    assert uploads.name_with_extension(name, content_type) == expected


def test_stored_original_name_gets_the_detected_extension():
    upload = SimpleUploadedFile("x.html", PNG, content_type="text/html")

    kind = uploads.validate_upload(upload, allowed=("image/png",))

    assert kind == "image/png"
    assert uploads.original_name(upload, "fallback") == "x.png"
    assert upload.read() == PNG, "the name is decided without consuming the upload"


class StoredFile:
    """What a model's FileField gives the views: a name in the default storage."""

    def __init__(self, name):
        self.name, self.storage = name, default_storage
        self.size = default_storage.size(name)

    def open(self, mode="rb"):
        return default_storage.open(self.name, mode)


@pytest.fixture
def stored_png():
    name = default_storage.save("tests/uploads/x.png", ContentFile(PNG))
    yield StoredFile(name)
    default_storage.delete(name)


def test_served_attachment_is_named_after_its_type(stored_png):
    response = uploads.serve(stored_png, filename="x.html", content_type="image/png")

    disposition = response["Content-Disposition"]
    assert 'filename="x.png"' in disposition and ".html" not in disposition


def test_streamed_file_is_named_after_its_type(stored_png):
    request = RequestFactory().get("/")

    response = streaming.serve(request, stored_png, filename="資料.html", content_type="image/png")

    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''%E8%B3%87%E6%96%99.png" in disposition and ".html" not in disposition


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("令和7年度版.pdf", "download-7.pdf"),
        ("advice-C-2026-001-下書き.pdf", "advice-C-2026-001.pdf"),
        ("資料.png", "download.png"),
        ("guidebook_R7.pdf", "guidebook_R7.pdf"),
        ("ｇｕｉｄｅ　第２版.pdf", "guide-2.pdf"),
    ],
)
def test_ascii_fallback_names_are_words_not_underscores(name, fallback):
    assert streaming.ascii_fallback(name) == fallback
    assert f'filename="{fallback}"' in streaming.content_disposition(name)
