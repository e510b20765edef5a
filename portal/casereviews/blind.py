"""Blind review: what an expert reads of a case without learning which municipality wrote it.

The municipality's name is hidden in the forms people write it: the full name (八王子市), the name
without 市・区・町・村 (八王子, as in 八王子駅・八王子の・八王子で), and its reading. A one-character
stem (港区 → 港) is hidden only where it plainly stands for the place (港の・港駅・港で …), so ordinary
words are left alone. Attachments are offered under a neutral name, and the submitting staff are
warned about every place their text or file names still name."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

SUFFIXES = "市区町村"
KANA_SUFFIXES = ("ちょう", "まち", "むら", "そん", "し", "く")
# What follows a one-character stem when it stands for the place.
PLACE_FOLLOWERS = r"(?=駅|の|で|に|へ|から|まで|周辺|近辺|地域|在住|内|方面|保健所|役所|役場)"

# A one-character stem inside a word (空港 for 港区) is not the place.
NOT_AFTER_KANJI = r"(?<![\u3005\u4e00-\u9fff])"

# The case's texts an expert reads (the detail page, the agenda, the advice PDF).
CASE_TEXT_FIELDS = (
    "pseudonym",
    "living_situation",
    "household",
    "consent_reason",
    "question",
    "difficulty",
    "history",
    "current_support",
    "agencies",
)


def _pattern(name: str, kana: str = "") -> re.Pattern | None:
    name = (name or "").strip()
    if not name:
        return None
    forms = [re.escape(name)]
    stem = name[:-1] if len(name) > 1 and name[-1] in SUFFIXES else name
    if stem != name:
        forms.append(
            re.escape(stem) if len(stem) > 1 else NOT_AFTER_KANJI + re.escape(stem) + PLACE_FOLLOWERS
        )
    kana = (kana or "").strip()
    if kana:
        forms.append(re.escape(kana))
        stem = next((kana[: -len(s)] for s in KANA_SUFFIXES if kana.endswith(s) and len(kana) > len(s)), "")
        if len(stem) >= 3:  # みなと, はちおうじ; a two-kana stem (きた) is an ordinary word
            forms.append(re.escape(stem))
    # The longest form first, so that 八王子市 is taken whole rather than as 八王子 + 市.
    forms.sort(key=len, reverse=True)
    return re.compile("|".join(forms))


def hide(text, name: str, label, kana: str = ""):
    """``text`` with every form of the municipality's ``name`` replaced by ``label``."""
    pattern = _pattern(name, kana)
    if pattern is None or not text:
        return text
    return pattern.sub(str(label), str(text))


def mentions(text, name: str, kana: str = "") -> list[str]:
    """The forms of the municipality's name found in ``text``, each once, in order."""
    pattern = _pattern(name, kana)
    if pattern is None or not text:
        return []
    found: list[str] = []
    for match in pattern.finditer(str(text)):
        if match.group(0) not in found:
            found.append(match.group(0))
    return found


def neutral_filename(case, index: int, original_name: str) -> str:
    """The name an expert gets for the ``index``-th attachment (1-based): the case reference and a
    number, keeping only the type of file (ケース2026-0001_添付資料1.pdf)."""
    suffix = PurePath(original_name or "").suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    return f"{case.reference}_{_('attachment')}{index}{suffix}"


def case_warnings(case, attachments) -> list[tuple[str, list[str]]]:
    """For the submitting staff of a blind case: each text field and file name that still names
    the municipality, with the forms found ((label, [forms]))."""
    organization = case.organization
    warnings = []
    for name in CASE_TEXT_FIELDS:
        found = mentions(getattr(case, name, ""), organization.name, organization.kana)
        if found:
            warnings.append((str(case._meta.get_field(name).verbose_name), found))
    for attachment in attachments:
        found = mentions(attachment.original_name, organization.name, organization.kana)
        if found:
            warnings.append((attachment.original_name, found))
    return warnings
