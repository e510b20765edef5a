"""django-allauth's own pages (sign-in, e-mail addresses, two-factor authentication) speak Japanese
the portal's way: full-width 「：」「？」 after Japanese text (locale_overrides/)."""

import re
from pathlib import Path

import allauth
from django.utils import translation

JAPANESE_THEN_HALF_WIDTH = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff）」] ?[:?]")
PAGES = ("templates/account/", "templates/mfa/", "templates/allauth/", "account/forms.py", "mfa/")


def allauth_page_msgids() -> list[str]:
    """Every msgid of allauth's Japanese catalogue used on its account and MFA pages."""
    po = Path(allauth.__file__).parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    found = []
    for entry in po.read_text(encoding="utf-8").split("\n\n"):
        refs = re.findall(r"^#: (.+)$", entry, re.M)
        if not any(ref.startswith(PAGES) for line in refs for ref in line.split()):
            continue
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr', entry + "\n", re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match.group(1)))
            if msgid:
                found.append(msgid.encode("latin-1", "backslashreplace").decode("unicode_escape"))
    return found


def test_allauth_pages_use_full_width_colons_and_question_marks():
    msgids = allauth_page_msgids()
    assert len(msgids) > 50  # the catalogue was read

    with translation.override("ja"):
        half_width = [
            text for text in map(translation.gettext, msgids) if JAPANESE_THEN_HALF_WIDTH.search(text)
        ]

    assert half_width == []


def test_forgot_password_reads_the_portal_way():
    with translation.override("ja"):
        assert translation.gettext("Forgot your password?") == "パスワードをお忘れですか？"
