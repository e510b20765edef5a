"""The personal-data guard: finds what could identify a person in Japanese free text.

Names come from a morphological analyser with a real dictionary (SudachiPy + sudachidict_core,
whose part-of-speech tags mark 人名 姓/名); everything else from patterns run on a width-folded
copy of the text (full-width digits become ASCII, one character for one, so offsets stay true).
Ages, durations, relations (母, 兄), municipality and agency names and event dates are not flagged.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

KINDS = ("name", "phone", "email", "postal_code", "address", "birthdate", "individual_number")

KIND_LABELS = {
    "name": _("Personal name"),
    "phone": _("Phone number"),
    "email": _("Email address"),
    "postal_code": _("Postal code"),
    "address": _("Street address"),
    "birthdate": _("Date of birth"),
    "individual_number": _("Individual number"),
}


def kind_label(kind: str):
    """What a kind is called on screen (人名, 電話番号 …); never the code."""
    return KIND_LABELS.get(kind, _("Personal data"))


@dataclass(frozen=True, order=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str

    def as_dict(self) -> dict:
        d = asdict(self)
        return {"kind": d["kind"], "start": d["start"], "end": d["end"], "text": d["text"]}


_DASH = "-‐‑‒–—―−ー－"


def fold(text: str) -> str:
    """Full-width ASCII to half-width, and dash-like marks between digits (０９０ー１２３４) to
    '-', one character for one so that every offset stays true."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    for i, ch in enumerate(out):
        if ch in _DASH:
            prev_digit = i > 0 and out[i - 1].isdigit()
            next_digit = i + 1 < len(out) and out[i + 1].isdigit()
            if prev_digit or next_digit:
                out[i] = "-"
    return "".join(out)


# --- patterns (run on the folded text) ----------------------------------------------------------

D = r"\d"
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
PHONE = re.compile(
    r"(?<![\d-])(?:\+81[-\s]?\(?0?\)?\d{1,4}[-\s)]?\d{1,4}[-\s]?\d{3,4}"
    r"|\(?0\d{1,4}\)?[-\s(]?\d{1,4}[-\s)]?\d{3,4})(?![\d-])"
)
POSTAL = re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])")
INDIVIDUAL = re.compile(r"(?<![\d-])\d{4}[-\s]?\d{4}[-\s]?\d{4}(?![\d-])")
KANJI_NUM = "一二三四五六七八九十〇"
ADDRESS = re.compile(
    r"(?:[" + KANJI_NUM + r"\d]+丁目(?:\s?\d+番(?:地)?(?:\s?\d+号?)?|\s?\d+(?:-\d+){0,2})?"
    r"|\d+番地?(?:\s?\d+号?|-\d+)?"
    r"|(?<![\d-])\d{1,4}-\d{1,4}-\d{1,4}(?![\d-]))"
)
ERA = {
    "M": 1867,
    "T": 1911,
    "S": 1925,
    "H": 1988,
    "R": 2018,
    "明治": 1867,
    "大正": 1911,
    "昭和": 1925,
    "平成": 1988,
    "令和": 2018,
}
DATE = re.compile(
    r"(?:(?P<era>明治|大正|昭和|平成|令和|[MTSHR])\s?(?P<ey>\d{1,2}|元)|(?P<y>(?:19|20)\d{2}))"
    r"\s?(?:年|[./-])\s?(?P<m>\d{1,2})\s?(?:月|[./-])\s?(?P<d>\d{1,2})日?"
)
BIRTH_BEFORE = re.compile(r"(生年月日|誕生日|出生日|生まれ日|DOB)[:：は\s]*$")
BIRTH_AFTER = re.compile(r"^\s?(生まれ|生れ|生)")
NUMBER_CONTEXT = re.compile(r"(マイナンバー|個人番号)")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def my_number_valid(digits: str) -> bool:
    """The check digit of a 12-digit individual number (マイナンバー)."""
    if len(digits) != 12:
        return False
    body = [int(c) for c in digits[:11]][::-1]
    total = sum(p * (n + 2 if n <= 5 else n - 4) for n, p in enumerate(body, start=1))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(digits[11])


def _valid_date(m) -> bool:
    month, day = int(m.group("m")), int(m.group("d"))
    return 1 <= month <= 12 and 1 <= day <= 31


def _pattern_findings(text: str, folded: str) -> list[Finding]:
    found: list[Finding] = []

    def add(kind, start, end):
        found.append(Finding(start, end, kind, text[start:end]))

    for m in EMAIL.finditer(folded):
        add("email", m.start(), m.end())
    for m in INDIVIDUAL.finditer(folded):
        context = folded[max(0, m.start() - 12) : m.start()]
        if my_number_valid(_digits(m.group())) or NUMBER_CONTEXT.search(context):
            add("individual_number", m.start(), m.end())
    for m in DATE.finditer(folded):
        if not _valid_date(m):
            continue
        before = folded[max(0, m.start() - 10) : m.start()]
        after = folded[m.end() : m.end() + 3]
        if BIRTH_BEFORE.search(before) or BIRTH_AFTER.search(after):
            add("birthdate", m.start(), m.end())
    for m in PHONE.finditer(folded):
        n = len(_digits(m.group()))
        international = m.group().startswith("+81")
        if (10 <= n <= 11) or (international and 11 <= n <= 12):
            add("phone", m.start(), m.end())
    for m in POSTAL.finditer(folded):
        add("postal_code", m.start(), m.end())
    for m in ADDRESS.finditer(folded):
        add("address", m.start(), m.end())
    return found


# --- names (SudachiPy) ----------------------------------------------------------------------------

_local = threading.local()
NOT_A_PERSON_AFTER = re.compile(
    r"^(病院|クリニック|医院|診療所|会|区|市|町|村|駅|大学|高校|高等学校|中学|小学校|学園|法律事務所|事務所|"
    r"センター|商店|工業|株式会社|記念|ビル|ホール|通り|公園|寺|神社)"
)


# "Aさん", "T.K.さん": initials are the anonymised form the guard asks for, not a name.
INITIALS = re.compile(r"[A-Za-z](?:\.?\s?[A-Za-z]){0,2}\.?")


def _tokenizer():
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import dictionary

        tok = dictionary.Dictionary(dict="core").tokenizer()
        _local.tokenizer = tok
    return tok


def _name_findings(text: str) -> list[Finding]:
    from sudachipy import tokenizer as sudachi_tokenizer

    mode = sudachi_tokenizer.Tokenizer.SplitMode.C
    found: list[Finding] = []
    span_start: int | None = None
    span_end: int | None = None
    # Sudachi works on up to ~49k bytes at a time; cut on line ends to stay below that.
    offset = 0
    for chunk in _chunks(text):
        for m in _tokenizer().tokenize(chunk, mode):
            pos = m.part_of_speech()
            is_name = pos[1] == "固有名詞" and pos[2] == "人名"
            start, end = offset + m.begin(), offset + m.end()
            if is_name and span_end == start:
                span_end = end
                continue
            if span_start is not None and span_end is not None:
                found.append(Finding(span_start, span_end, "name", text[span_start:span_end]))
                span_start = span_end = None
            if is_name:
                span_start, span_end = start, end
        offset += len(chunk)
    if span_start is not None and span_end is not None:
        found.append(Finding(span_start, span_end, "name", text[span_start:span_end]))
    return [
        f
        for f in found
        if not NOT_A_PERSON_AFTER.match(text[f.end : f.end + 8]) and not INITIALS.fullmatch(fold(f.text))
    ]


def _chunks(text: str, limit: int = 4000):
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut + 1 if cut > 0 else limit
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


PRIORITY = {
    "email": 0,
    "individual_number": 1,
    "birthdate": 2,
    "phone": 3,
    "postal_code": 4,
    "address": 5,
    "name": 6,
}


def scan(text: str) -> list[Finding]:
    """All findings in ``text``, sorted, overlaps resolved in favour of the more specific kind."""
    if not text:
        return []
    folded = fold(text)
    candidates = _pattern_findings(text, folded) + _name_findings(text)
    candidates.sort(key=lambda f: (PRIORITY[f.kind], f.start, -(f.end - f.start)))
    taken: list[Finding] = []
    for f in candidates:
        if any(f.start < t.end and t.start < f.end for t in taken):
            continue
        taken.append(f)
    return sorted(taken)


def scan_fields(fields: dict[str, str]) -> dict[str, list[Finding]]:
    return {name: found for name, value in fields.items() if (found := scan(value or ""))}


class PersonalDataFound(Exception):
    """Findings the person has neither edited away nor confirmed; ``findings`` is what the form
    shows (a list, or a dict of field name → list)."""

    def __init__(self, findings):
        super().__init__("personal data found")
        self.findings = findings


def finding_key(field: str, finding: Finding) -> str:
    """What a person confirms when keeping a finding: the field, the kind and the text, under a
    keyed hash (a key derived from SECRET_KEY), so the value in the form cannot be reversed."""
    from django.utils.crypto import salted_hmac

    return salted_hmac(
        "portal.core.pii.finding_key", f"{field}\x00{finding.kind}\x00{finding.text}", algorithm="sha256"
    ).hexdigest()
