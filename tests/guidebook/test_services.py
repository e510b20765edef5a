import subprocess
import tempfile

import pytest
from django.core.exceptions import ValidationError

from portal.core import pdf
from portal.core.exceptions import StaleEdit
from portal.guidebook import content, services
from portal.guidebook.models import Build, Material, Section

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _pdf_tool(tool, data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            [tool, f.name, *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


# --- sanitiser ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "![x](file:///etc/passwd)",
        "![x](https://evil.example/track.png)",
        '<iframe src="https://evil.example"></iframe>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_sanitiser_removes_active_and_outside_content(markdown):
    from html.parser import HTMLParser

    elements = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, dict(attrs)))

    Collect().feed(content.render(markdown))
    assert not [t for t, _a in elements if t in ("script", "iframe")]
    for _tag, attrs in elements:
        assert not [a for a in attrs if a.startswith("on")]
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value.startswith(("javascript:", "file:", "data:", "https://evil")), value


def test_sanitiser_keeps_headings_tables_figures_and_links():
    html = content.render(
        "# 見出し\n\n- 項目\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![図](figure:7)\n\n[都](https://www.metro.tokyo.lg.jp/)"
    )
    assert "<h3>見出し</h3>" in html  # shifted under the section's h2
    assert "<table>" in html and "<td>2</td>" in html
    assert '<img src="figure:7" alt="図">' in html
    assert 'href="https://www.metro.tokyo.lg.jp/"' in html and 'rel="noopener noreferrer"' in html


def test_figures_of_another_edition_are_dropped():
    html = content.render("![a](figure:1) ![b](figure:2)")
    resolved = content.resolve_figures(html, lambda n: "/f/1" if n == 1 else None)
    assert 'src="/f/1"' in resolved and "figure:2" not in resolved


# --- renderer URL restriction ------------------------------------------------------------------


def test_renderer_fetches_only_the_portals_own_files(settings, tmp_path):
    assert pdf.allowed(f"file://{settings.BASE_DIR}/static/pdf/pdf.css")
    assert pdf.allowed("data:image/png;base64,AAAA")
    assert not pdf.allowed("file:///etc/passwd")
    assert not pdf.allowed(f"file://{settings.BASE_DIR}/static/../portal/settings/base.py")
    assert not pdf.allowed("https://example.com/x.png")
    assert not pdf.allowed("http://169.254.169.254/latest/meta-data/")
    assert not pdf.allowed(f"file://{settings.MEDIA_ROOT}/cases/secret.pdf")
    assert pdf.allowed(f"file://{settings.MEDIA_ROOT}/guidebook-figures/a.png", media=("guidebook-figures/",))


def test_outside_and_local_images_render_nothing(monkeypatch):
    fetched = []
    from weasyprint.urls import URLFetcher

    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    html = (
        '<html><body><p>本文</p><img src="file:///etc/passwd"><img src="https://example.com/x.png">'
        '<link rel="stylesheet" href="file:///etc/hostname"></body></html>'
    )
    document = pdf.render_html(html)
    assert len(document.pages) == 1
    assert fetched == []  # the portal's fetcher refused them before any request was made
    data = document.write_pdf()
    assert "root:" not in _pdf_tool("pdftotext", data)


# --- editions ------------------------------------------------------------------------------------


def test_build_pdf_has_japanese_text_embedded_fonts_outline_and_header(
    coordinator, edition, figure, django_capture_on_commit_callbacks
):
    section = Section.objects.get(title="家族への支援")
    services.section_save(
        actor=coordinator,
        section=section,
        based_on_version=section.version,
        title=section.title,
        body=f"家族の相談から始まる支援。\n\n![支援の流れ](figure:{figure.pk})",
        order=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = services.publish(actor=coordinator, edition=edition)
    build.refresh_from_db()
    assert build.status == "done" and build.percent == 100
    data = build.file.read()
    text = _pdf_tool("pdftotext", data)
    assert "ひきこもりの定義" in text and "6か月以上" in text
    assert "令和7年度版" in text  # cover and running header
    assert "目次" in text
    fonts = _pdf_tool("pdffonts", data).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # "emb" column
    info = _pdf_tool("pdfinfo", data)
    import re

    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == build.pages >= 4
    assert "令和7年度版" in info  # title metadata
    outline = pdf.render_html(services.edition_html(edition)).make_bookmark_tree()
    assert [b[0] for b in outline] == ["目次", "第1章　ひきこもりの定義", "第2章　支援の方向性"]
    assert [child[0] for child in outline[1][2]] == ["定義"]


def test_table_of_contents_shows_page_numbers(coordinator, edition, django_capture_on_commit_callbacks):
    services.edition_update(
        actor=coordinator,
        edition=edition,
        title=edition.title,
        subtitle="区市町村職員向け",
        foreword="支援の一助に。",
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = services.build_request(actor=coordinator, edition=edition, preview=True)
    text = _pdf_tool("pdftotext", Build.objects.get(pk=build.pk).file.read())
    assert "区市町村職員向け" in text and "はじめに" in text and "支援の一助に。" in text
    assert "プレビュー（下書き）" in text  # a draft's PDF says so on its pages
    toc = text[text.index("目次") :]
    import re

    assert re.search(r"第1章\s+ひきこもりの定義 \.{5,}\S*\s*\d+", toc), toc[:300]


def test_same_content_is_not_rebuilt(coordinator, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.build_request(actor=coordinator, edition=edition, preview=True)
    again = services.build_request(actor=coordinator, edition=edition, preview=True)
    assert again.pk == first.pk
    section = Section.objects.get(title="定義")
    services.section_save(
        actor=coordinator,
        section=section,
        based_on_version=section.version,
        title="定義",
        body="改訂",
        order=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.build_request(actor=coordinator, edition=edition, preview=True)
    assert changed.pk != first.pk
    assert Build.objects.count() == 2


def test_published_edition_is_frozen(coordinator, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(actor=coordinator, edition=edition)
    section = Section.objects.get(title="定義")
    with pytest.raises(ValidationError):
        services.section_save(
            actor=coordinator, section=section, based_on_version=section.version, title="x", body="x", order=1
        )
    with pytest.raises(ValidationError):
        services.chapter_save(actor=coordinator, edition=edition, number=9, title="追加")
    with pytest.raises(ValidationError):
        services.edition_update(actor=coordinator, edition=edition, title="x", subtitle="", foreword="x")
    nxt = services.edition_create(actor=coordinator, fiscal_year=2026, title=edition.title, copy_from=edition)
    assert [c.title for c in nxt.chapters.all()] == ["ひきこもりの定義", "支援の方向性"]
    assert not nxt.is_published


def test_concurrent_section_edits_never_overwrite(coordinator, edition):
    section = Section.objects.get(title="定義")
    version = section.version
    services.section_save(
        actor=coordinator, section=section, based_on_version=version, title="定義", body="A", order=1
    )
    with pytest.raises(StaleEdit) as exc:
        services.section_save(
            actor=coordinator, section=section, based_on_version=version, title="定義", body="B", order=1
        )
    assert exc.value.current.body == "A"


def test_failed_build_is_recorded(coordinator, edition, monkeypatch):
    build = Build.objects.create(edition=edition, content_hash="x", requested_by=coordinator)
    monkeypatch.setattr(
        services.pdf, "render_html", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("no fonts"))
    )
    with pytest.raises(RuntimeError):
        services.build_run(build.pk)
    build.refresh_from_db()
    assert build.status == "failed" and "no fonts" in build.error


# --- materials -------------------------------------------------------------------------------------


def test_material_versions_number_up_and_keep_history(coordinator):
    material = services.material_create(
        actor=coordinator,
        upload=pdf_upload(),
        title="冊子",
        category="booklet",
        fiscal_year=2025,
        audience="members",
    )
    services.version_add(
        actor=coordinator, material=material, upload=pdf_upload(size=100), changelog="図を差し替え"
    )
    assert [(v.number, v.changelog) for v in material.versions.all()] == [
        (2, "図を差し替え"),
        (1, "初版"),
    ] or [v.number for v in material.versions.all()] == [2, 1]


def test_material_upload_must_be_a_real_document(coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.material_create(
            actor=coordinator,
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90 not a pdf"),
            title="x",
            category="other",
            fiscal_year=2025,
            audience="public",
        )
    assert not Material.objects.exists()


def test_event_audience_needs_a_meeting(coordinator):
    with pytest.raises(ValidationError):
        services.material_create(
            actor=coordinator,
            upload=pdf_upload(),
            title="x",
            category="meeting",
            fiscal_year=2025,
            audience="event",
        )


def test_markdown_table_headers_are_column_headers():
    from portal.guidebook import content

    html = content.render("| 区分 | 内容 |\n|---|--:|\n| 相談 | 窓口 |")

    assert html.count('<th scope="col">') == 2 and "区分" in html and "内容" in html
    assert "<th" not in content.render('<th scope="bogus">x</th>')  # raw HTML stays text
