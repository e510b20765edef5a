"""House rules for the front end: local assets only, no inline scripts or styles, translations complete."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import MembershipFactory, NotificationFactory

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


# --- the public entrance ---------------------------------------------------------------------


@pytest.mark.django_db
def test_root_is_a_public_entrance_for_someone_not_signed_in(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    public_pages = (
        "windows:window_directory",
        "guidebook:edition_list",
        "guidebook:material_list",
        "news:list",
        "directory:event_calendar",
        "outreach:public_days",
        "directory:partner_list",
        "directory:institution_list",
    )
    for name in public_pages:
        assert f'href="{reverse(name)}"' in html, name
    assert f'href="{reverse("account_login")}"' in html
    assert 'href="#verify"' in html
    assert 'name="password"' not in html, "the entrance is not the login form"


@pytest.mark.django_db
def test_root_shows_the_dashboard_to_someone_signed_in(client, login, admin_a):
    login(admin_a)

    response = client.get("/")

    assert response.status_code == 200
    assert "core/dashboard.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_window_directory_jumps_by_kind_and_shows_unregistered_windows_as_in_preparation(
    client, org_a, org_b
):
    response = client.get(reverse("windows:window_directory"))

    html = response.content.decode()
    assert 'class="jump-links"' in html and 'href="#group-1"' in html and 'href="#group-2"' in html
    assert "準備中" in html
    assert "ask the municipality" not in html and "お問い合わせください" not in html


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_errors_are_summarised_at_the_top_with_links_to_each_field(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    html = response.content.decode()
    summary = html.index("data-error-summary")
    assert summary < html.index('name="login"'), "the summary comes before the fields"
    assert 'href="#id_login"' in html and 'href="#id_password"' in html
    assert "入力内容に問題があります" in html
    assert "（必須）" in html
    assert re.search(
        r'<input[^>]*aria-describedby="[^"]*id_login_error"[^>]*name="login"', html
    ) or re.search(r'<input[^>]*name="login"[^>]*aria-describedby="[^"]*id_login_error"', html)


def test_a_checkbox_group_error_is_tied_to_its_fieldset():
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    class Form(forms.Form):
        audience = forms.MultipleChoiceField(
            label="対象", choices=[("a", "区市町村"), ("b", "連携団体")], widget=forms.CheckboxSelectMultiple
        )

    form = Form(data={})
    form.is_valid()
    with translation.override("ja"):
        html = render_to_string("components/form_fields.html", {"form": form})

    assert re.search(r'<fieldset aria-describedby="[^"]*id_audience_error"', html)
    assert '<legend>対象<span class="required">（必須）</span></legend>' in html
    assert 'href="#id_audience_0"' in html
    assert html.count('id="id_audience_error"') == 1


def test_error_summary_focus_script_ships_as_a_static_file():
    js = Path(settings.BASE_DIR, "static", "js", "portal.js").read_text("utf-8")
    assert "[data-error-summary]" in js and ".focus(" in js


# --- navigation ------------------------------------------------------------------------------


def _nav_links(client):
    html = client.get(reverse("core:dashboard")).content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))]
    return set(re.findall(r'href="([^"]+)"', nav)), nav


@pytest.mark.django_db
def test_coordinator_navigation_is_grouped_and_reaches_meetings(client, login, coordinator):
    login(coordinator)

    links, nav = _nav_links(client)

    assert reverse("casereviews:meeting_list") in links
    assert reverse("windows:window_status") in links
    assert nav.count('class="site-nav__group"') >= 5
    for label in ("ケース・会議", "研修・交流会", "団体・窓口", "資料", "管理"):
        assert label in nav


@pytest.mark.django_db
def test_expert_navigation_reaches_cases_and_meetings_but_not_administration(client, login, expert):
    login(expert)

    links, _nav = _nav_links(client)

    assert {reverse("casereviews:case_list"), reverse("casereviews:meeting_list")} <= links
    assert reverse("core:audit_list") not in links


@pytest.mark.django_db
def test_municipal_and_partner_navigation_show_their_own_pages(client, login, member_a, partner_member):
    login(member_a)
    links, _nav = _nav_links(client)
    assert {reverse("municipalities:sheet_list"), reverse("windows:window_mine")} <= links
    assert reverse("casereviews:case_list") in links and reverse("partners:slot_list") not in links
    assert reverse("accounts:organization_list") not in links

    login(partner_member)
    links, _nav = _nav_links(client)
    assert {reverse("partners:consultation_list"), reverse("partners:slot_list")} <= links
    assert reverse("municipalities:sheet_list") not in links and reverse("casereviews:case_list") not in links


# Japanese text: hiragana, katakana, kanji, full-width forms and CJK punctuation.
JA = r"[\u3001-\u303f\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]"
# A placeholder (a date, a number, a name…) or a number; %(email)s keeps its spaces (a Latin address).
PLACEHOLDER = r"(?:%\((?!email\))\w+\)[sdf](?:%%)?|(?<![A-Za-z0-9.])\d+(?![A-Za-z0-9]))"
SPACED = re.compile(rf"{JA}[ \u3000]+{PLACEHOLDER}|{PLACEHOLDER}[ \u3000]+(?!ご担当者様){JA}")
HALF_WIDTH_AFTER_JA = re.compile(rf"{JA} ?[:?]")
# msgids whose translation may keep a space next to a value (none today; each entry says why).
SPACING_LEFTOVERS: set[str] = set()


def _japanese_catalogues():
    import gettext

    paths = [Path(path) for path in settings.LOCALE_PATHS]
    for path in paths:
        mo = path / "ja" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            with mo.open("rb") as handle:
                yield path.name, gettext.GNUTranslations(handle)._catalog


def test_japanese_translations_have_no_space_around_dates_and_numbers():
    found = [
        (where, text)
        for where, catalogue in _japanese_catalogues()
        for msgid, text in catalogue.items()
        if msgid and msgid not in SPACING_LEFTOVERS and SPACED.search(text)
    ]

    assert found == [], "write 「申込みは%(day)sに」, 「%(n)s件」: no space between Japanese and a value"


def test_japanese_translations_use_full_width_colon_and_question_mark():
    found = [
        (where, text)
        for where, catalogue in _japanese_catalogues()
        for msgid, text in catalogue.items()
        if msgid and HALF_WIDTH_AFTER_JA.search(text)
    ]

    assert found == [], "after Japanese text write ：and ？"


def test_japanese_translations_say_kushichoson_not_jichitai():
    found = [
        text
        for _where, catalogue in _japanese_catalogues()
        for msgid, text in catalogue.items()
        if "自治体" in text
    ]

    assert found == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_put_a_full_width_colon_after_a_label(path):
    text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", path.read_text("utf-8"), flags=re.S)

    assert not re.search(r"(%}|}}) ?[:?] ", text), f"「{{% translate … %}}：」 in {path}"


def test_japanese_translations_show_no_iso_dates():
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    found = [
        text
        for _where, catalogue in _japanese_catalogues()
        for msgid, text in catalogue.items()
        if msgid and iso.search(text)
    ]

    assert found == [], "a date in a translation is 和暦 (a date-time input needs no example)"


@pytest.mark.django_db
def test_the_kept_menu_is_each_persons_own_and_shows_the_current_unread_count(client, login, admin_a, org_b):
    other = MembershipFactory(organization=org_b, role="admin").user
    login(admin_a)
    first, _nav = _nav_links(client)  # renders and keeps this menu

    login(other)
    second, _nav = _nav_links(client)
    NotificationFactory(user=other)
    NotificationFactory(user=other)
    _links, with_unread = _nav_links(client)

    own = reverse("accounts:organization_detail", args=[org_b.pk])
    assert own in second and own not in first
    assert reverse("accounts:organization_detail", args=[admin_a.memberships.get().organization_id]) in first
    assert '<span class="badge">2<span class="visually-hidden">' in with_unread
