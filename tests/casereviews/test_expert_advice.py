"""After the advice is issued the panel's expert keeps reading the advice they wrote and its PDF,
is told it was issued, and a case they can no longer open explains itself."""

import pytest
from django.urls import reverse

from portal.casereviews import services
from portal.core.models import Notification

from .conftest import CLEAN_CASE, submitted_case


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def issued_case(org_a, member_a, coordinator, meeting, panel_expert):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    services.advice_save(
        actor=_fresh(panel_expert), case=case, based_on_version=0, content={"medical": "受診の勧め方の所見"}
    )
    services.advice_save(actor=coordinator, case=case, based_on_version=1, content={"summary": "助言の要旨"})
    case = services.case_mark_reviewed(actor=coordinator, case=case)
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_expert_is_told_when_the_advice_they_wrote_is_issued(issued_case, panel_expert):
    assert Notification.objects.filter(user=panel_expert, title__contains=issued_case.reference).exists()


@pytest.mark.django_db
def test_expert_reads_the_issued_advice_and_its_pdf_but_not_the_case(client, issued_case, panel_expert):
    client.force_login(_fresh(panel_expert))

    response = client.get(reverse("casereviews:case_detail", args=[issued_case.pk]))
    pdf = client.get(reverse("casereviews:advice_pdf", args=[issued_case.pk]))

    page = response.content.decode()
    assert response.status_code == 403
    assert "このケースの閲覧期間は終了しました" in page
    assert "受診の勧め方の所見" in page and "助言の要旨" in page
    assert CLEAN_CASE["history"] not in page
    assert reverse("casereviews:advice_pdf", args=[issued_case.pk]) in page
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_issued_advice_stays_on_the_experts_dashboard(client, issued_case, panel_expert):
    client.force_login(_fresh(panel_expert))

    page = client.get(reverse("core:dashboard")).content.decode()

    assert issued_case.reference in page
    assert reverse("casereviews:advice_pdf", args=[issued_case.pk]) in page


@pytest.mark.django_db
def test_expert_who_never_had_the_case_still_gets_404(client, issued_case, other_expert, partner_member):
    for user in (other_expert, partner_member):
        client.force_login(_fresh(user))
        assert client.get(reverse("casereviews:case_detail", args=[issued_case.pk])).status_code == 404
        assert client.get(reverse("casereviews:advice_pdf", args=[issued_case.pk])).status_code == 404


@pytest.fixture
def open_case_with_draft(org_a, member_a, coordinator, meeting, panel_expert):
    case = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    services.advice_save(
        actor=_fresh(panel_expert), case=case, based_on_version=0, content={"medical": "受診の勧め方の所見"}
    )
    case.refresh_from_db()
    return case


def _pdf_text(data: bytes) -> str:
    import shutil
    import subprocess
    import tempfile

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.django_db
def test_panel_expert_downloads_the_advice_draft_marked_as_draft_while_the_case_is_open(
    client, open_case_with_draft, panel_expert
):
    client.force_login(_fresh(panel_expert))

    page = client.get(reverse("casereviews:case_detail", args=[open_case_with_draft.pk])).content.decode()
    response = client.get(reverse("casereviews:advice_pdf", args=[open_case_with_draft.pk]))

    assert reverse("casereviews:advice_pdf", args=[open_case_with_draft.pk]) in page
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "%E4%B8%8B%E6%9B%B8%E3%81%8D.pdf" in response["Content-Disposition"]  # 下書き.pdf
    text = _pdf_text(response.content)
    assert "下書き" in text and "未発行" in text and "受診の勧め方の所見" in text


@pytest.mark.django_db
def test_issued_advice_pdf_is_not_marked_as_draft(client, issued_case, panel_expert):
    client.force_login(_fresh(panel_expert))

    response = client.get(reverse("casereviews:advice_pdf", args=[issued_case.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="advice-{issued_case.reference}.pdf"'
    assert "下書き" not in _pdf_text(response.content)


@pytest.mark.django_db
def test_advice_draft_pdf_is_not_for_the_municipality_or_other_experts(
    client, open_case_with_draft, member_a, other_expert, admin_b
):
    url = reverse("casereviews:advice_pdf", args=[open_case_with_draft.pk])
    for user in (member_a, other_expert, admin_b):
        client.force_login(_fresh(user))
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_municipality_reads_on_the_page_what_the_advice_pdf_says(client, issued_case, member_a):
    client.force_login(member_a)

    page = client.get(reverse("casereviews:case_detail", args=[issued_case.pk])).content.decode()

    assert "助言の要旨" in page
    assert "受診の勧め方の所見" in page, "the panel's discipline sections, as in the PDF"
    assert "<h3>医療</h3>" in page
