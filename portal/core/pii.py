"""The personal-data guard: finds what could identify a person in Japanese free text.

Names come from a morphological analyser with a real dictionary (SudachiPy + sudachidict_core,
whose part-of-speech tags mark 人名 姓/名 and 地名), helped by rules where staff write names the
dictionary cannot know (kana with a space or a middle dot, Latin letters, a given name before
くん／ちゃん, a nickname in quotes). Everything else comes from patterns run on a width-folded copy
of the text (full-width digits become ASCII, one character for one, so offsets stay true): phones,
e-mail, postal codes, addresses down to the town, building and room, birthdates, the individual
number (check digit), the other 個人識別符号 (passport, licence, pension, insurance, residence card),
account identifiers, and quasi-identifiers (a named school with a year, an employer with a
department) as their own kind, so the submitter decides.
Not flagged: ages, durations, amounts, times, meeting dates, relations (母, 兄), roles (保健師さん),
municipality and agency names, kana place names, the portal's case references, and the published
numbers of public bodies (the Support Net's free dial and whatever apps register, e.g. the
consultation-window directory: see ``register_public_numbers``).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from portal.core import pii_data

logger = logging.getLogger(__name__)

KINDS = (
    "name",
    "phone",
    "email",
    "postal_code",
    "address",
    "birthdate",
    "individual_number",
    "id_number",
    "account",
    "quasi_identifier",
)

KIND_LABELS = {
    "name": _("Personal name"),
    "phone": _("Phone number"),
    "email": _("Email address"),
    "postal_code": _("Postal code"),
    "address": _("Street address"),
    "birthdate": _("Date of birth"),
    "individual_number": _("Individual number"),
    "id_number": _("Identification document number"),
    "account": _("Account or personal web page"),
    "quasi_identifier": _("Detail that may identify the person (school, workplace)"),
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
KANJI_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


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


def kanji_number(s: str) -> int | None:
    """十二 → 12, 六十二 → 62, 二〇 → 20, 元 → 1; None when it is not a number."""
    if s == "元":
        return 1
    if s.isdigit():
        return int(s)
    if "十" not in s:
        if all(c in KANJI_DIGITS for c in s):
            return int("".join(str(KANJI_DIGITS[c]) for c in s))
        return None
    tens, _sep, ones = s.partition("十")
    if (tens and tens not in KANJI_DIGITS) or (ones and ones not in KANJI_DIGITS):
        return None
    return (KANJI_DIGITS[tens] if tens else 1) * 10 + (KANJI_DIGITS[ones] if ones else 0)


# --- public numbers: the portal's own, and the consultation windows of the directory ---------------

SUPPORT_NET_NUMBERS = ("0120529528",)  # 東京都ひきこもりサポートネット フリーダイヤル
_public_sources: list = []
_public_cache: dict = {"at": 0.0, "numbers": frozenset()}
PUBLIC_NUMBERS_TTL = 300.0


def register_public_numbers(source) -> None:
    """An app tells the guard where published numbers live: ``source()`` returns phone numbers
    (any spelling) of public bodies, e.g. the consultation-window directory's selector."""
    if source not in _public_sources:
        _public_sources.append(source)
        clear_public_numbers()


def clear_public_numbers() -> None:
    _public_cache["at"] = 0.0


def public_numbers() -> frozenset[str]:
    """The digits of every published number, read through the registered selectors at most every
    five minutes. A source that cannot be read adds nothing: the guard then flags more, never less."""
    import time

    now = time.monotonic()
    if _public_cache["at"] and now - _public_cache["at"] < PUBLIC_NUMBERS_TTL:
        return _public_cache["numbers"]
    numbers = set(SUPPORT_NET_NUMBERS)
    for source in _public_sources:
        try:
            numbers.update(_digits(fold(str(n))) for n in source())
        except Exception:  # noqa: BLE001 (no database, a migration not applied: exempt nothing)
            logger.warning("public numbers could not be read from %r", source, exc_info=True)
    _public_cache.update(at=now, numbers=frozenset(n for n in numbers if n))
    return _public_cache["numbers"]


# --- patterns (run on the folded text) ----------------------------------------------------------

KN = "〇一二三四五六七八九十"
NUM = rf"(?:\d+|[{KN}]+)"
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
PHONE = re.compile(
    r"(?<![\d\-.])(?:\+81[-\s.]?\(?0?\)?\d{1,4}[-\s.)]?\d{1,4}[-\s.]?\d{3,4}"
    r"|\(?0\d{1,4}\)?[-\s(.]?\d{1,4}[-\s).]?\d{3,4})(?![\d\-])"
)
POSTAL = re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])")
POSTAL_CONTEXT = re.compile(r"(郵便番号|〒)[:：は\s]*$")
INDIVIDUAL = re.compile(r"(?<![\d-])\d{4}[-\s]?\d{4}[-\s]?\d{4}(?![\d-])")
CASE_REFERENCE = re.compile(r"(?<![A-Za-z0-9])[Cc]\d{4}-\d{4}(?:-[0-9A-Fa-f]{4})?(?![0-9A-Za-z])")
ADDRESS = re.compile(
    rf"(?<![\d{KN}])(?:{NUM}丁目(?:\s?{NUM}番(?:地)?(?:\s?{NUM}号)?|\s?{NUM}番地?|\s?\d+(?:-\d+){{0,2}})?"
    rf"|{NUM}番地(?:\s?{NUM}号?|-\d+)?"
    rf"|{NUM}番(?:\s?{NUM}号|-\d+)"
    r"|(?<![\d\-/.:])\d{1,4}-\d{1,4}-\d{1,4}(?![\d\-]))"
)
KATA = "ァ-ヶー"
KANA = "ぁ-んァ-ヶー"
KANJI = "一-龥々〆ヵヶ"
BUILDING = re.compile(
    rf"[{KANJI}{KATA}A-Za-z]{{0,12}}(?:ハイツ|コーポ|マンション|アパート|荘|レジデンス|ハイム|メゾン|パレス|ヒルズ|"
    rf"団地|住宅|ハウス|コート|ビル|タワー|テラス|ガーデン|シティ)[{KATA}{KANJI}A-Za-z]{{0,8}}"
    r"\s?(?:\d+号棟\s?)?(?:\d{1,4}号室|\d{1,4}号|\d{3,4}(?![\d\-年月日歳円時分]))"
)
ROOM = re.compile(r"(?<![\d-])\d{1,4}号室")
TOWN = re.compile(
    rf"(?:東京都|[{KANJI}]{{2,3}}[県府])?[{KANJI}]{{1,5}}?[区市]"
    rf"(?P<town>[{KANJI}{KANA}]{{1,8}}?)(?=(?:{NUM}丁目|\d|在住|に住|に在住|で暮らし|で一人暮らし|の自宅|の実家|の団地|のアパート|のマンション))"
)
TOWN_NOT = re.compile(
    r"^(内|外|役所|役場|民|部|長|立|営|議会|全域|全体|周辺|近辺|以外|の|から|まで|で|に|は|と|が|も|を)"
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
DN = rf"(?:\d{{1,2}}|[{KN}]{{1,3}})"
DATE = re.compile(
    rf"(?:(?P<era>明治|大正|昭和|平成|令和|[MTSHR]\.?)\s?(?P<ey>\d{{1,2}}|[{KN}]{{1,3}}|元)|(?P<y>(?:19|20)\d{{2}}))"
    rf"\s?(?:年|[./-])\s?(?P<m>{DN})\s?(?:月|[./-])\s?(?P<d>{DN})日?"
)
MONTH_DAY = re.compile(rf"(?<![\d年./-])(?P<m>{DN})\s?月\s?(?P<d>{DN})\s?日")
BIRTH_BEFORE = re.compile(
    r"(生年月日|誕生日|出生日|生まれ日|DOB|生年|誕生|生まれたの|生まれた日)[:：は\s（(]*$"
)
BIRTH_AFTER = re.compile(
    r"^\s?(?:生まれ|生れ|生|産まれ|[(（]\s?\d{1,3}歳|[(（]\s?[{KN}]+歳|[（(]生|に生まれ|に誕生)".replace(
        "{KN}", KN
    )
)
NUMBER_CONTEXT = re.compile(r"(マイナンバー|個人番号)")
PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{7}(?![A-Za-z0-9])")
RESIDENCE_CARD = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{8}[A-Z]{2}(?![A-Za-z0-9])")
LICENCE = re.compile(r"(?:運転免許|免許証|免許番号)[^\d。\n]{0,12}?(?P<n>\d{4}[-\s]?\d{4}[-\s]?\d{4})(?!\d)")
PENSION = re.compile(r"(?:基礎年金番号|年金番号|年金手帳)[^\d。\n]{0,12}?(?P<n>\d{4}[-\s]?\d{6})(?!\d)")
INSURANCE = re.compile(
    r"(?:保険証|被保険者証|資格確認書|保険者番号)[^。\n]{0,16}?記号[:：は\s]*(?P<a>[0-9A-Za-z\-]{1,10})"
    r"(?:[^。\n]{0,6}?番号[:：は\s]*(?P<b>[0-9A-Za-z\-]{1,10}))?"
)
LINE_ID = re.compile(
    r"(?:LINE|Line|line|ライン)[\s（(]?(?:の)?\s?(?:ID|id|アカウント|ＩＤ)[:：は\s]*(?:「)?(?P<id>@?[A-Za-z0-9._\-]{3,30})"
)
HANDLE = re.compile(
    r"(?<![A-Za-z0-9._%+\-@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![A-Za-z0-9_@.])"
)
URL = re.compile(
    r"(?<![A-Za-z0-9\-./])(?:https?://)?(?:www\.)?(?P<host>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)(?P<path>/[A-Za-z0-9._~%/@\-?=&#+]*)?"
)
SCHOOL = re.compile(
    rf"(?P<name>[{KANJI}{KATA}]{{1,12}}?)(?:小学校|中学校|中学|高等学校|高校|大学院|大学|専門学校|高専|特別支援学校|学園|学院)"
    rf"(?:の|を|に)?\s?(?:(?:\d{{4}}|平成\d{{1,2}}|令和\d{{1,2}})年(?:度)?(?:に|の)?(?:卒業|中退|入学|退学|在籍)"
    rf"|(?:{NUM}|[{KN}])年(?:生|次)?(?![間前後目度ぶ]))"
)
COMPANY = re.compile(
    rf"(?:(?:株式会社|有限会社|合同会社|\(株\)|\(有\))[{KANJI}{KATA}A-Za-z]{{1,12}}|[{KANJI}{KANA}A-Za-z]{{1,12}}(?:株式会社|有限会社|\(株\)|商事|物産|工業|製作所|銀行|証券|建設|運輸|電機|食品|産業|商会|興業))"
    rf"(?:の|\s)?(?P<dept>[{KANJI}{KATA}]{{1,10}}?(?:部|課|係|室|支店|営業所|工場|店|センター))"
)
NICKNAME = re.compile(
    r"「(?P<n>[^「」。、\s]{1,10})」(?:と|って)(?:呼ばれ|呼んで|呼ぶ|呼び|名乗|いう(?:あだ名|愛称|呼び名))"
)
NICK_CONTEXT = re.compile(
    r"(?:あだ名|愛称|呼び名|ニックネーム|ハンドルネーム)(?:は|が|：|:)\s?「(?P<n>[^「」。、\s]{1,12})」"
)
HONORIFIC = r"(?:さん|くん|君|ちゃん|様(?![々子式相態])|さま|氏)"  # not 様々・様子
KANA_NAME = re.compile(
    rf"(?<![{KANA}])(?P<n>[{KATA}]{{2,8}}(?:[\s・･][{KATA}]{{2,8}})?|[ぁ-ん]{{2,8}}(?:[\s・][ぁ-ん]{{2,8}})?){HONORIFIC}"
)
KANA_FULL_NAME = re.compile(rf"(?<![{KATA}])(?P<n>[{KATA}]{{2,7}}[\s・･][{KATA}]{{2,7}})(?![{KATA}])")
HIRAGANA_FULL_NAME = re.compile(
    r"(?:氏名|名前|本人|相談者|父|母|兄|姉|弟|妹|長男|長女|次男|次女|息子|娘|祖父|祖母|夫|妻)(?:の|は|：|:)?\s?"
    r"(?P<n>[ぁ-ん]{2,7}[\s・][ぁ-ん]{2,7}?)(?=さん|くん|ちゃん|様|[^ぁ-ん]|$)"
)
KANA_NAME_CONTEXT = re.compile(
    r"(氏名|名前|本人|相談者|父|母|兄|姉|弟|妹|長男|長女|次男|次女|息子|娘|祖父|祖母|夫|妻)(?:の|は|：|:|\s)?\s?$"
)
LATIN_NAME = re.compile(
    r"(?<![A-Za-z])(?P<n>[A-Z][a-z]{1,15}\s[A-Z][a-z]{1,15}|[A-Z]{2,15}\s[A-Z][a-z]{1,15}|[A-Z][a-z]{1,15}\s[A-Z]{2,15})(?![A-Za-z])"
)


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
    month, day = kanji_number(m.group("m")), kanji_number(m.group("d"))
    return month is not None and day is not None and 1 <= month <= 12 and 1 <= day <= 31


PARTICLE_AFTER_KANJI = re.compile(rf"[{KANJI}](?:は|が|を|に|で|と|も|の|から)")


def _after_particle(passage: str) -> int:
    """Where a passage really starts when a sentence ran into it: 「父は株式会社…」 → after は,
    「兄のやまもと」 → after の. A particle after kana is part of the name (みなと銀行)."""
    cut = 0
    for m in PARTICLE_AFTER_KANJI.finditer(passage):
        cut = m.end()
    return cut


def _mask(folded: str, pattern) -> str:
    """Blank out what is public (the portal's case references) so no rule reads into it."""
    return pattern.sub(lambda m: "X" * len(m.group()), folded)


def _pattern_findings(text: str, folded: str) -> list[Finding]:
    found: list[Finding] = []

    def add(kind, start, end):
        if end > start:
            found.append(Finding(start, end, kind, text[start:end]))

    folded = _mask(folded, CASE_REFERENCE)
    for m in EMAIL.finditer(folded):
        add("email", m.start(), m.end())
    for m in INDIVIDUAL.finditer(folded):
        context = folded[max(0, m.start() - 20) : m.start()]
        if my_number_valid(_digits(m.group())) or NUMBER_CONTEXT.search(context):
            add("individual_number", m.start(), m.end())
    for pattern in (PASSPORT, RESIDENCE_CARD):
        for m in pattern.finditer(folded):
            add("id_number", m.start(), m.end())
    for pattern in (LICENCE, PENSION):
        for m in pattern.finditer(folded):
            add("id_number", m.start("n"), m.end("n"))
    for m in INSURANCE.finditer(folded):
        add("id_number", m.start("a"), m.end("b") if m.group("b") else m.end("a"))
    for m in DATE.finditer(folded):
        if not _valid_date(m):
            continue
        before = folded[max(0, m.start() - 10) : m.start()]
        after = folded[m.end() : m.end() + 6]
        if BIRTH_BEFORE.search(before) or BIRTH_AFTER.search(after):
            add("birthdate", m.start(), m.end())
    for m in MONTH_DAY.finditer(folded):  # 誕生日は7月15日: a birthday without its year
        if BIRTH_BEFORE.search(folded[max(0, m.start() - 10) : m.start()]) and _valid_date(m):
            add("birthdate", m.start(), m.end())
    published = None
    for m in PHONE.finditer(folded):
        digits = _digits(m.group())
        n = len(digits)
        international = m.group().startswith("+81")
        if not ((10 <= n <= 11) or (international and 11 <= n <= 12)):
            continue
        if published is None:
            published = public_numbers()
        national = "0" + digits[2:].lstrip("0") if international else digits
        if national in published:
            continue
        add("phone", m.start(), m.end())
    for m in POSTAL.finditer(folded):
        add("postal_code", m.start(), m.end())
    for m in ADDRESS.finditer(folded):
        if re.fullmatch(r"(?:19|20)\d{2}-\d{1,2}-\d{1,2}", m.group()) or m.group().startswith("0"):
            continue  # an ISO date, or a phone number (no street number starts with 0)
        add("address", m.start(), m.end())
    for m in BUILDING.finditer(folded):
        add("address", m.start(), m.end())
    for m in ROOM.finditer(folded):
        add("address", m.start(), m.end())
    for m in TOWN.finditer(folded):
        if m.group("town") and not TOWN_NOT.match(m.group("town")):
            add("address", m.start(), m.end())
    for m in LINE_ID.finditer(folded):
        add("account", m.start("id"), m.end("id"))
    for m in HANDLE.finditer(folded):
        add("account", m.start(), m.end())
    for m in URL.finditer(folded):
        host, path = m.group("host").lower(), m.group("path") or ""
        personal_host = any(host == h or host.endswith("." + h) for h in pii_data.PERSONAL_HOSTS)
        if (personal_host and len(path) > 1) or re.search(r"/[~@][A-Za-z0-9]", path):
            add("account", m.start(), m.end())
    for m in SCHOOL.finditer(folded):
        name = m.group("name")
        for type_word in ("都立", "区立", "市立", "県立", "私立", "国立", "府立", "町立", "村立"):
            if name.startswith(type_word):
                name = name[len(type_word) :]
        if name and name not in pii_data.NOT_SCHOOL_NAMES and not re.fullmatch(r"[小中高大]", name):
            add("quasi_identifier", m.start(), m.end())
    for m in COMPANY.finditer(folded):
        company = folded[m.start() : m.start("dept")].rstrip("の ")
        add("quasi_identifier", m.start() + _after_particle(company), m.end())
    for pattern in (NICKNAME, NICK_CONTEXT):
        for m in pattern.finditer(folded):
            add("name", m.start("n"), m.end("n"))
    for m in KANA_NAME.finditer(folded):
        name = m.group("n")
        if m.start() and (cut := _after_particle(folded[m.start() - 1 : m.end("n")])):
            name = name[cut - 1 :]
        if name.replace(" ", "").replace("・", "") in pii_data.NOT_NAMES_BEFORE_HONORIFIC:
            continue
        add("name", m.end("n") - len(name), m.end("n"))
    for m in KANA_FULL_NAME.finditer(folded):
        if KANA_NAME_CONTEXT.search(folded[max(0, m.start() - 6) : m.start()]):
            add("name", m.start("n"), m.end("n"))
    for m in HIRAGANA_FULL_NAME.finditer(folded):
        add("name", m.start("n"), m.end("n"))
    for m in LATIN_NAME.finditer(folded):
        if not any(w in pii_data.NOT_LATIN_NAMES for w in m.group("n").split()):
            add("name", m.start("n"), m.end("n"))
    return found


# --- names and places (SudachiPy) -----------------------------------------------------------------

_local = threading.local()
NOT_A_PERSON_AFTER = re.compile(
    r"^(病院|クリニック|医院|診療所|会|区|市|町|村|駅|大学|高校|高等学校|中学|小学校|学園|法律事務所|事務所|"
    r"センター|商店|工業|株式会社|記念|ビル|ホール|通り|公園|寺|神社|丁目)"
)
HONORIFIC_AFTER = re.compile(rf"^{HONORIFIC}")


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
    """Runs of 人名 tokens (a dictionary word, or an unknown word only when an honorific follows),
    a surname or given name before さん／くん／ちゃん, and place names that go below the
    municipality (八王子市元本郷町: a ward or city with its town)."""
    from sudachipy import tokenizer as sudachi_tokenizer

    mode = sudachi_tokenizer.Tokenizer.SplitMode.C
    found: list[Finding] = []
    span_start: int | None = None
    span_end: int | None = None
    offset = 0
    for chunk in _chunks(text):
        for m in _tokenizer().tokenize(chunk, mode):
            pos = m.part_of_speech()
            start, end = offset + m.begin(), offset + m.end()
            surface = m.surface()
            is_name = pos[1] == "固有名詞" and pos[2] == "人名"
            if is_name and start > 0 and re.match(f"[{KANJI}]", text[start - 1]):
                # 保健師 read as 保 + 健師: a name glued to a word it completes is that word
                is_name = not any(
                    text[start - k : end] in pii_data.NOT_NAMES_BEFORE_HONORIFIC for k in (1, 2, 3)
                )
            if (
                is_name
                and re.fullmatch("[ぁ-ん]+", surface)
                and not HONORIFIC_AFTER.match(text[end : end + 3])
            ):
                # しんじゅく, まひろ: hiragana is a name only where a name stands (「はるきは…」, 氏名：)
                is_name = bool(
                    KANA_NAME_CONTEXT.search(text[max(0, start - 6) : start])
                    or text[start - 1 : start] in ("「", "")
                ) and bool(NAME_FOLLOWERS.match(text[end : end + 3]) or span_end == start)
            elif is_name and (m.is_oov() or pos[3] == "一般"):
                is_name = bool(HONORIFIC_AFTER.match(text[end : end + 3])) and (
                    surface not in pii_data.NOT_NAMES_BEFORE_HONORIFIC
                )
            if pos[2] == "地名" and re.search(r"[区市郡].", surface) and not re.search(r"[区市]$", surface):
                found.append(Finding(start, end, "address", surface))
            if is_name and span_end == start:
                span_end = end
                continue
            if (
                is_name
                and span_end is not None
                and text[span_end:start] in (" ", "　", "・")
                and start - span_end == 1
            ):
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
        if f.kind != "name"
        or (
            not NOT_A_PERSON_AFTER.match(text[f.end : f.end + 8])
            and not INITIALS.fullmatch(fold(f.text))
            and _stands_as_a_name(text, f)
        )
    ]


NAME_FOLLOWERS = re.compile(rf"^(?:{HONORIFIC}|[はがのとにをもへや、。，．（）()「」』\n]|$)")


def _stands_as_a_name(text: str, f: Finding) -> bool:
    """A name the dictionary found is taken when it stands like a name: not a lone character
    inside other words (弁護士 read as 弁 + 護, 第10回), not an item of a ・ list of places
    (福生・足立)."""
    before, after = text[f.start - 1 : f.start], text[f.end : f.end + 3]
    if before == "・" or after[:1] == "・":
        return bool(re.match(HONORIFIC, after))
    if len(f.text) == 1:
        return not re.match(f"[{KANJI}{KATA}]", before) and bool(NAME_FOLLOWERS.match(after))
    return True


def _chunks(text: str, limit: int = 4000):
    # Sudachi works on up to ~49k bytes at a time; cut on line ends to stay below that.
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut + 1 if cut > 0 else limit
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


PRIORITY = {
    "email": 0,
    "account": 1,
    "individual_number": 2,
    "id_number": 3,
    "birthdate": 4,
    "phone": 5,
    "postal_code": 6,
    "address": 7,
    "quasi_identifier": 8,
    "name": 9,
}


def scan(text: str) -> list[Finding]:
    """All findings in ``text``, sorted, overlaps resolved in favour of the more specific kind
    (and, within a kind, the longer passage)."""
    if not text:
        return []
    folded = fold(text)
    candidates = _pattern_findings(text, folded) + _name_findings(text)
    candidates.sort(key=lambda f: (PRIORITY[f.kind], -(f.end - f.start), f.start))
    taken: list[Finding] = []
    for f in candidates:
        if any(f.start < t.end and t.start < f.end for t in taken):
            continue
        taken.append(f)
    merged: list[Finding] = []
    for f in sorted(taken):  # 練馬区曙町 + 8丁目21-5 is one address
        last = merged[-1] if merged else None
        if last and last.kind == f.kind == "address" and text[last.end : f.start].strip() == "":
            merged[-1] = Finding(last.start, f.end, "address", text[last.start : f.end])
        else:
            merged.append(f)
    return merged


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
