"""Every PDF the portal produces is tagged (PDF/UA-1): language ja, a title, headings in the
structure, table headers, alt text for every figure, IPAex fonts embedded.

Each kind is produced the way a person causes it (through its view or service) and read back with
poppler's ``pdfinfo``; the catalogue's /Lang and the figures' /Alt are read from the inflated
object streams. WeasyPrint logs an error when a tagged document lacks a language or an image lacks
alt text: those errors fail the test too.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
import tempfile
import zlib
from dataclasses import dataclass

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed"),
]


@dataclass
class Facts:
    info: dict[str, str]
    struct: str
    objects: bytes
    fonts: str

    @property
    def language(self) -> str | None:
        match = re.search(rb"/Lang\s*\(([^)]*)\)", self.objects)
        return match[1].decode() if match else None

    def alt_texts(self) -> list[str]:
        texts = []
        for raw in re.findall(rb"/Alt\s*(<[0-9a-fA-F]+>|\((?:\\.|[^\\)])*\))", self.objects):
            if raw.startswith(b"<"):
                texts.append(bytes.fromhex(raw[1:-1].decode()).decode("utf-16"))
            else:
                texts.append(_literal(raw[1:-1]))
        return texts


def _literal(raw: bytes) -> str:
    """A PDF literal string (escapes such as \\376 undone; UTF-16 when it starts with a BOM)."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    value = re.sub(
        rb"\\([0-7]{1,3}|.)",
        lambda m: bytes([int(m[1], 8)]) if m[1][:1].isdigit() else escapes.get(m[1], m[1]),
        raw,
    )
    return value[2:].decode("utf-16-be") if value.startswith(b"\xfe\xff") else value.decode("latin-1")


def read_pdf(data: bytes) -> Facts:
    assert data.startswith(b"%PDF"), data[:40]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()

        def run(*args):
            return subprocess.run([*args, f.name], capture_output=True, text=True, check=True).stdout

        info = dict(
            (key.strip(), value.strip())
            for key, _sep, value in (line.partition(":") for line in run("pdfinfo").splitlines())
        )
        struct, fonts = run("pdfinfo", "-struct"), run("pdffonts")
    inflated = []
    # Each stream is read by its declared /Length: a search for the next "endstream" can stop
    # inside compressed bytes that happen to contain it.
    for match in re.finditer(rb"/Length (\d+)\b[^>]*>>\s*stream\r?\n", data):
        start = match.end()
        stream = data[start : start + int(match[1])]
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return Facts(info=info, struct=struct, objects=data + b"\n".join(inflated), fonts=fonts)


@pytest.fixture
def weasyprint_errors(caplog):
    """WeasyPrint's own complaints about accessibility (missing lang, missing alt text)."""
    caplog.set_level(logging.ERROR, logger="weasyprint")
    return lambda: [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]


def assert_accessible(data: bytes, *, title: str, errors, figures: int = 0) -> Facts:
    facts = read_pdf(data)
    assert facts.info.get("Tagged") == "yes", facts.info
    assert facts.info.get("Title") == title, facts.info
    assert facts.language == "ja"
    assert 'pdfuaid:part="1"' in facts.objects.decode("latin-1")  # declared PDF/UA-1
    assert re.search(r"^\s*H1\b", facts.struct, re.M), facts.struct[:500]
    alts = facts.alt_texts()
    assert len(alts) == figures and all(a.strip() for a in alts), alts
    fonts = facts.fonts.splitlines()[2:]
    assert fonts and all("IPAex" in line for line in fonts), fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded
    assert errors() == []
    _artifact, _content, orphans = marked_text(data)
    assert orphans == [], "marked content outside the structure tree: page furniture must be artifacts"
    return facts


def marked_text(data: bytes) -> tuple[str, str, list[int]]:
    """(text drawn as artifacts, text drawn as tagged content, MCIDs the structure tree does not
    reach), read with pypdf: page furniture belongs in the first, and the last must be empty."""
    import io

    from pypdf import PdfReader
    from pypdf.generic import ContentStream, DictionaryObject

    from portal.core.pdf import _structure_mcids

    reader = PdfReader(io.BytesIO(data))
    reached = _structure_mcids(reader.trailer["/Root"]["/StructTreeRoot"].get_object())
    artifact, content, orphans = [], [], []
    for page in reader.pages:
        stack: list[str] = []

        def before(operator, operands, cm, tm, stack=stack):
            if operator in (b"BMC", b"BDC"):
                stack.append(str(operands[0]))
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value, cm, tm, font, size, stack=stack):
            (artifact if "/Artifact" in stack else content).append(value)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        number = page.indirect_reference.idnum
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            properties = operands[1].get_object() if operator == b"BDC" and len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, DictionaryObject) else None
            if mcid is not None and (number, int(mcid)) not in reached:
                orphans.append(int(mcid))
    return "".join(artifact), "".join(content), orphans


def nested_links(struct: str) -> list[str]:
    """Link elements inside a Link in ``pdfinfo -struct``'s indented tree."""
    found, open_links = [], []
    for line in struct.splitlines():
        depth, name = len(line) - len(line.lstrip()), line.strip()
        open_links = [d for d in open_links if d < depth]
        if name.startswith("Link"):
            if open_links:
                found.append(line)
            open_links.append(depth)
    return found


def assert_table_headers(facts: Facts, *, scope: str):
    """Tables carry header cells that the data cells point to (/Headers)."""
    assert re.search(r"^\s*TH\b", facts.struct, re.M), facts.struct[:800]
    assert "/Headers [(" in facts.struct, facts.struct[:800]
    assert "/Headers []" not in facts.struct, facts.struct[:800]  # every data cell has its header
    header_cells = len(re.findall(r"^\s*TH\b", facts.struct, re.M))
    scoped = len(re.findall(r"^\s*/Scope /(Column|Row)\b", facts.struct, re.M))
    assert header_cells == scoped, f"{header_cells} TH, {scoped} with a /Scope"
    if scope == "col":
        assert re.search(r"^\s*THead\b", facts.struct, re.M), facts.struct[:800]


# --- the kinds of PDF -----------------------------------------------------------------------------


def test_guidebook_pdf_is_tagged(coordinator, weasyprint_errors, django_capture_on_commit_callbacks):
    from portal.guidebook import services

    from ..guidebook.conftest import png_bytes

    edition = services.edition_create(actor=coordinator, fiscal_year=2025, title="ひきこもり支援ガイドブック")
    chapter = services.chapter_save(actor=coordinator, edition=edition, number=1, title="ひきこもりの定義")
    figure = services.figure_add(
        actor=coordinator,
        edition=edition,
        upload=SimpleUploadedFile("fig.png", png_bytes(), content_type="image/png"),
        alt="支援の流れ",
        caption="図1 支援の流れ",
    )
    services.section_add(
        actor=coordinator,
        chapter=chapter,
        title="定義",
        body="本文。\n\n| 区分 | 内容 |\n|---|---|\n| 相談 | 区市町村の窓口 |\n\n"
        f"![支援の流れ](figure:{figure.pk})",
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = services.publish(actor=coordinator, edition=edition)
    build.refresh_from_db()

    facts = assert_accessible(
        build.file.read(), title="令和7年度版 ひきこもり支援ガイドブック", errors=weasyprint_errors, figures=1
    )
    assert re.search(r"^\s*H2\b", facts.struct, re.M)
    assert facts.alt_texts() == ["支援の流れ"]
    assert_table_headers(facts, scope="col")
    assert not nested_links(facts.struct), "contents: the leader and page number sit outside the link"


def test_hearing_sheet_pdf_is_tagged(sheet_submitted, client, weasyprint_errors):
    sheet, member = sheet_submitted
    client.force_login(member)

    response = client.get(reverse("municipalities:sheet_pdf", args=[sheet.pk]))

    facts = assert_accessible(response.content, title=str(sheet), errors=weasyprint_errors)
    assert_table_headers(facts, scope="row")


@pytest.fixture
def sheet_submitted(coordinator, org_a, admin_a, member_a):
    from portal.municipalities import services

    from ..municipalities.conftest import SUBMITTABLE

    programme = services.programme_open(
        actor=coordinator, fiscal_year=2026, hearing_deadline=dt.date(2026, 12, 18)
    )
    services.participation_add(actor=coordinator, programme=programme, organizations=[org_a])
    sheet = programme.sheets.get(organization=org_a)
    sheet = services.sheet_submit(
        actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version
    )
    return sheet, member_a


def test_advice_pdf_is_tagged(coordinator, org_a, member_a, admin_a, client, weasyprint_errors):
    from portal.casereviews import services

    from ..casereviews.conftest import submitted_case
    from ..factories import ExpertProfileFactory, enroll_totp

    profile = ExpertProfileFactory(user__email="adhoc@example.jp", panel_discipline="legal")
    enroll_totp(profile.user)
    case = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=profile.user
    )
    services.advice_save(
        actor=coordinator, case=case, content={"summary": "本人との接点を家族から作る。"}, based_on_version=0
    )
    services.advice_issue(actor=coordinator, case=case)
    client.force_login(member_a)

    response = client.get(reverse("casereviews:advice_pdf", args=[case.pk]))

    facts = assert_accessible(response.content, title=f"助言記録 {case.reference}", errors=weasyprint_errors)
    assert_table_headers(facts, scope="row")


def test_meeting_attendance_pdf_is_tagged(coordinator, member_a, client, weasyprint_errors):
    from portal.meetings import services

    from ..meetings.conftest import make_event

    event = make_event(coordinator, capacity=5)
    services.register(actor=member_a, event=event)
    client.force_login(coordinator)

    response = client.get(reverse("meetings:attendance_pdf", args=[event.pk]))

    facts = assert_accessible(response.content, title=f"出席者名簿 {event.title}", errors=weasyprint_errors)
    assert_table_headers(facts, scope="col")


def test_training_attendance_pdf_is_tagged(coordinator, member_a, client, weasyprint_errors):
    from portal.training import services
    from portal.training.models import Course

    from ..training.conftest import make_session

    session = make_session(coordinator, Course.objects.get(fiscal_year=2025, code="supporters-intro"))
    services.register(actor=member_a, session=session)
    client.force_login(coordinator)

    response = client.get(reverse("training:roster_pdf", args=[session.pk]))

    facts = assert_accessible(
        response.content, title=f"出席者名簿 {session.course.title}", errors=weasyprint_errors
    )
    assert_table_headers(facts, scope="col")


def test_training_certificate_pdf_is_tagged_with_qr_alt_text(coordinator, member_a, weasyprint_errors):
    from portal.training import services
    from portal.training.models import Certificate, Completion, Course

    from ..training.conftest import make_session

    session = make_session(coordinator, Course.objects.get(fiscal_year=2025, code="supporters-intro"))
    reg = services.register(actor=member_a, session=session)
    with time_machine.travel(session.ends_at + dt.timedelta(hours=1), tick=False):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        cert = services.issue_certificate(Completion.objects.get(user=member_a))

    facts = assert_accessible(
        Certificate.objects.get(pk=cert.pk).file.read(),
        title=f"修了証 {cert.number}",
        errors=weasyprint_errors,
        figures=1,
    )
    assert "QR" in facts.alt_texts()[0] and "真正性" in facts.alt_texts()[0]


def test_meeting_certificate_pdf_is_tagged_and_formal(coordinator, member_a, client, weasyprint_errors):
    from portal.meetings import services

    from ..meetings.conftest import make_event

    event = make_event(coordinator, capacity=5, days=1, deadline_days=0)
    registration = services.register(actor=member_a, event=event)
    services.check_in(actor=coordinator, registration=registration)
    client.force_login(member_a)

    response = client.get(reverse("meetings:certificate", args=[registration.pk]))

    assert_accessible(response.content, title=f"参加証明書 {event.title}", errors=weasyprint_errors)
    # the same formal layout as the 修了証: the title alone in large type, the name with 様, the issuer
    html = render_to_string(
        "meetings/pdf/certificate.html",
        {
            "registration": registration,
            "event": event,
            "day": "令和8年1月1日（木）",
            "issued": "令和8年1月2日（金）",
        },
    )
    for css_class in ("certificate-title", "certificate-name", "certificate-text", "certificate-issuer"):
        assert f'class="{css_class}"' in html, css_class


def test_window_directory_pdf_is_tagged(org_a, client, weasyprint_errors):
    from portal.windows.models import ConsultationWindow

    ConsultationWindow.objects.create(organization=org_a, name="ひきこもり相談", phone="03-1234-5678")

    response = client.get(reverse("windows:window_directory_pdf"))

    facts = assert_accessible(
        response.content, title="都内区市町村 ひきこもり相談窓口一覧", errors=weasyprint_errors
    )
    assert_table_headers(facts, scope="col")


def test_renderer_tags_any_html_it_lays_out(weasyprint_errors):
    """Callers that lay out HTML themselves (the guidebook build, demo material) get tagged PDFs too."""
    from portal.core import pdf

    document = pdf.render_html(
        '<!DOCTYPE html><html lang="ja"><head><title>資料</title></head><body><h1>見出し</h1></body></html>'
    )

    facts = read_pdf(document.write_pdf())
    assert facts.info["Tagged"] == "yes" and facts.info["Title"] == "資料" and facts.language == "ja"


def test_running_heads_page_numbers_and_handle_with_care_marks_are_artifacts(weasyprint_errors):
    """PDF/UA-1 §7.8: page furniture (the margin boxes: page numbers, 取扱注意, running heads) is an
    artifact; the body is tagged content."""
    from portal.core import pdf

    html = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>資料</title>'
        '<link rel="stylesheet" href="static/pdf/pdf.css"></head>'
        '<body class="sensitive"><h1>見出し</h1><p>本文の段落です。</p></body></html>'
    )

    artifact, content, orphans = marked_text(pdf.render_html(html).write_pdf())

    assert "取扱注意" in artifact and "1 / 1" in artifact
    assert "本文の段落です。" in content and "取扱注意" not in content and "1 / 1" not in content
    assert orphans == []


def test_an_uploaded_pdf_without_a_title_gets_the_materials_title(weasyprint_errors):
    import io

    from pypdf import PdfReader, PdfWriter

    from portal.core.pdf import with_title

    blank = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(blank)

    titled = with_title(blank.getvalue(), "交流会資料")

    reader = PdfReader(io.BytesIO(titled))
    assert reader.metadata.title == "交流会資料"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]
    assert with_title(titled, "別の名前") == titled  # a title of its own is kept
