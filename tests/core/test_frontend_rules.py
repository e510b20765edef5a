"""House rules for the front end: local assets only, no inline scripts or styles, translations complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_have_no_inline_script_style_or_cdn(path):
    text = path.read_text("utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline script in {path}: {tag}"
    assert not re.search(r"\sstyle=\"", text), f"inline style attribute in {path}"
    assert not re.search(r"<style\b", text), f"inline <style> in {path}"
    assert not re.search(r"(src|href)=\"(https?:)?//", text), f"external asset in {path}"


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("account_login"))

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_every_japanese_message_is_translated():
    po = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.po").read_text("utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = []
    for entry in entries:
        if "#, fuzzy" in entry:
            untranslated.append(entry)
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', entry, flags=re.M)
        if entry.strip().startswith("#~"):
            continue
        if not strs or any(first == "" and not rest.strip() for first, rest in strs):
            untranslated.append(entry)
    assert untranslated == []


def test_compiled_messages_are_loaded():
    mo = Path(settings.BASE_DIR, "locale", "ja", "LC_MESSAGES", "django.mo")
    assert mo.exists(), "run `make messages`"
    from django.utils import translation

    with translation.override("ja"):
        assert translation.gettext("Skip to main content") == "本文へスキップ"


ALL_TEMPLATES = sorted(
    p for p in Path(settings.BASE_DIR, "templates").rglob("*") if p.suffix in (".html", ".txt")
)


@pytest.mark.parametrize("path", ALL_TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_show_dates_through_the_wareki_filter(path):
    """令和8年12月4日（金）14:15 via {{ value|wareki }}; Django's |date only for <time datetime="…">."""
    text = path.read_text("utf-8")
    for match in re.finditer(r"\{\{\s*[\w.]+\|date:[\"'][^\"']*[\"']\s*\}\}", text):
        before = text[: match.start()]
        assert before.endswith('datetime="'), f"{path}: {match.group(0)} shows a date without |wareki"
    assert not re.search(r"\|wareki\s*\}\}\s*\{\{\s*[\w.]+\|(date|time):", text), (
        f"{path}: |wareki already shows the time of a datetime"
    )
    for match in re.finditer(r"\{\{\s*[\w.]+\.isoformat\s*\}\}", text):
        assert re.search(r'value="$', text[: match.start()]), f"{path}: ISO date shown as text"
