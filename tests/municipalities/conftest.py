import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.municipalities import services

SUBMITTABLE = {
    "windows": "ひきこもり相談窓口 電話 03-1234-5678",
    "department": "福祉部",
    "agencies": ["社会福祉協議会", "家族会"],
    "consultations_total": 120,
    "challenges": "長期化したケースへの対応",
    "preferred_date_1": "2026-12-01",
}


def pdf_upload(name="集計表.pdf", size=None):
    content = b"%PDF-1.4\n" + (b"x" * (size or 100))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def programme(coordinator):
    return services.programme_open(
        actor=coordinator, fiscal_year=2026, hearing_deadline=dt.date(2026, 12, 18)
    )


@pytest.fixture
def sheet(programme, coordinator, org_a, admin_a, member_a):
    services.participation_add(actor=coordinator, programme=programme, organizations=[org_a])
    return programme.sheets.get(organization=org_a)
