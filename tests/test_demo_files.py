"""Every file the demo stores passes the checks a person's upload passes (its type decided by its
content, its size) and, for PDFs, opens as a real document: no placeholder bytes behind a .pdf."""

import io
import shutil
import subprocess
import tempfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models

from portal.core import uploads

ANY_KIND = tuple(uploads.KIND_LABELS)


def _stored_files():
    for model in apps.get_models():
        fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            for row in model.objects.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True}):
                yield f"{model._meta.label}.{field.name}#{row.pk}", getattr(row, field.name)


def _opens_as_pdf(content: bytes) -> bool:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(["pdfinfo", handle.name], capture_output=True).returncode == 0


@pytest.mark.django_db
def test_every_demo_file_passes_the_upload_checks_and_opens():
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    problems, seen = [], 0
    for where, stored in _stored_files():
        with stored.open("rb") as handle:
            content = handle.read()
        seen += 1
        upload = SimpleUploadedFile(stored.name, content)
        try:
            kind = uploads.validate_upload(upload, allowed=ANY_KIND)
        except Exception as exc:  # noqa: BLE001 -- every refusal is listed with the file
            problems.append((where, str(exc)))
            continue
        if kind == "application/pdf" and not _opens_as_pdf(content):
            problems.append((where, f"not a readable PDF ({len(content)} bytes)"))

    assert seen > 0
    assert problems == []
