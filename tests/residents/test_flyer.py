import pytest
from django.urls import reverse

from ..core.test_pdfs import assert_accessible, assert_table_headers
from ..core.test_pdfs import weasyprint_errors as weasyprint_errors  # noqa: F401 (a fixture, used by name)

pytestmark = pytest.mark.django_db


def test_schedule_flyer_is_a_tagged_pdf_with_the_days_and_the_phone_to_book(client, day, weasyprint_errors):
    response = client.get(reverse("residents:schedule_flyer", args=[day.fiscal_year, "weekday"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    facts = assert_accessible(
        data, title=f"平日個別相談のご案内（{_fy(day.fiscal_year)}）", errors=weasyprint_errors
    )
    assert_table_headers(facts, scope="col")
    assert "0120-529-528" in _text(data)


def test_no_flyer_for_a_year_without_days(client, day):
    assert (
        client.get(reverse("residents:schedule_flyer", args=[day.fiscal_year + 5, "weekday"])).status_code
        == 404
    )


def _text(data: bytes) -> str:
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


def _fy(year):
    from portal.core.dates import fiscal_year_label

    return fiscal_year_label(year)
