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

import bisect
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
    "bank_account",
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
    "bank_account": _("Bank account"),
    "quasi_identifier": _("Detail that may identify the person (school, workplace)"),
    # not a kind the scanner finds: an attached file whose contents could not be read
    "unreadable_file": _("Attached file that could not be checked"),
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


class _FoldTable(dict):
    """str.translate's table for ``fold``: each character's NFKC form when that is one character,
    worked out the first time the character is met."""

    def __missing__(self, ch: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(ch))
        self[ch] = value = folded if len(folded) == 1 else chr(ch)
        return value


_FOLD = _FoldTable()
_DASH_CLASS = re.escape(_DASH)
_DASH_NEAR_DIGIT = re.compile(
    rf"(?<=\d)[{_DASH_CLASS}]|(?<![ァ-ヶ])[{_DASH_CLASS}](?=\d)|[{re.escape(_DASH.replace('ー', ''))}](?=\d)"
)


def fold(text: str) -> str:
    """Full-width ASCII to half-width, and dash-like marks between digits (０９０ー１２３４) to
    '-' (not the long vowel of katakana: マイナンバー1234), one character for one so that every
    offset stays true."""
    return _DASH_NEAR_DIGIT.sub("-", text.translate(_FOLD))


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
    numbers = set(SUPPORT_NET_NUMBERS) | pii_data.PUBLIC_NUMBERS
    for source in _public_sources:
        try:
            numbers.update(_digits(fold(str(n))) for n in source())
        except Exception:  # noqa: BLE001 (no database, a migration not applied: exempt nothing)
            logger.warning("public numbers could not be read from %r", source, exc_info=True)
    _public_cache.update(at=now, numbers=frozenset(n for n in numbers if n))
    return _public_cache["numbers"]


# Free dials, navi dials and other non-geographic numbers belong to companies and public bodies,
# never to a person: 0120/0800 (free), 0570 (navi dial), 0180 (telephone services), 0990.
NON_PERSONAL_PREFIXES = ("0120", "0800", "0570", "0180", "0990")
# A number written after the name of an office on its line is the office's (代表, 窓口, 区役所 …)
# unless a word for a person stands between (母の携帯, 本人).
OFFICE_BEFORE = re.compile(
    r"(?:代表|窓口|事務局|区役所|市役所|役場|町役場|村役場|[課係室]|センター|ダイヤル|ホットライン|"
    r"送信元|発信元)[^\n。]{0,8}$"
)
OFFICE_AFTER = re.compile(r"^\s?[（(][^）)\n]{0,16}(?:区役所|市役所|役場|[課係室]|センター|窓口|代表)[）)]")
PERSON_WORDS = re.compile(
    r"母|父|本人|携帯|自宅|兄|姉|弟|妹|叔|伯|祖|夫|妻|息子|娘|長男|長女|次男|次女|家族|親|私|様|さん|氏"
)


def _office_number(folded: str, start: int, end: int) -> bool:
    if re.match(r"\(?0[5789]0", folded[start:end]):
        return False  # a mobile (or IP) number is a person's, whatever office is named beside it
    line_start = folded.rfind("\n", 0, start) + 1
    before = folded[line_start:start]
    m = OFFICE_BEFORE.search(before)
    if m and not PERSON_WORDS.search(before[m.start() :]):
        return True
    return bool(OFFICE_AFTER.match(folded[end : end + 24]))


# --- noise: OCR and fax transcriptions ------------------------------------------------------------

# Letters OCR reads for digits (O for 0, l/I/| for 1) where a digit stands beside them and no letter.
OCR_DIGIT = re.compile(r"(?<=\d)[OoDlI|](?![A-Za-z])|(?<![A-Za-z])[OolI|](?=\d)")
_OCR_MAP = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1"}


def denoise(folded: str) -> str:
    """The folded text with OCR's letters inside numbers read as digits (O9O-… → 090-…, 5l年 → 51年),
    one character for one: the copy the number rules read."""
    return OCR_DIGIT.sub(lambda m: _OCR_MAP[m.group()], folded)


# Characters written one by one (小 松 健 太, 平 成 9 年, 0 9 0 - 1 2 …): a run of single characters
# with spaces between; a full-width space (or a wider gap) inside the run is kept as one space.
SPACED_RUN = re.compile(r"(?<!\S)\S(?:[ \u3000]{1,3}\S(?!\S))*[ \u3000]{1,3}\S")


def _despaced(text: str) -> list[tuple[str, list[int]]]:
    """Each line holding a spaced-out run, written without its spaces, with the offset in ``text``
    of every character kept (so findings map back)."""
    out = []
    line_start = 0
    for line in text.split("\n"):
        runs = list(SPACED_RUN.finditer(line)) if " " in line or "\u3000" in line else []
        if runs:
            chars, where, pos = [], [], 0
            for run in runs:
                for i in range(pos, run.start()):
                    chars.append(line[i])
                    where.append(line_start + i)
                gap = ""
                for i in range(run.start(), run.end()):
                    ch = line[i]
                    if ch in " \u3000":
                        gap += ch
                        continue
                    if gap and ("\u3000" in gap or len(gap) > 1):
                        chars.append("\u3000")
                        where.append(line_start + i - 1)
                    gap = ""
                    chars.append(ch)
                    where.append(line_start + i)
                pos = run.end()
            for i in range(pos, len(line)):
                chars.append(line[i])
                where.append(line_start + i)
            out.append(("".join(chars), where))
        line_start += len(line) + 1
    return out


# --- patterns (run on the folded text) ----------------------------------------------------------

KN = "〇一二三四五六七八九十"
NUM = rf"(?:\d+|[{KN}]+)"
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# Written so that a harvester misses it: (at), [at], 【at】, ＠ with spaces around.
EMAIL_WRITTEN = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+[ \t]{0,2}(?:@|[(\[【（]\s?(?:at|AT|アット)\s?[)\]】）])"
    r"[ \t]{0,2}[A-Za-z0-9\-]+(?:\s?(?:\.|[(\[]dot[)\]])\s?[A-Za-z0-9\-]+)+"
)
# Between the groups of a phone number: a hyphen, dot or ・ (spaced or not, a line break after it),
# a bracket, or blanks.
_PS = r"(?:[ \t]{0,2}[-.・)(][ \t]{0,2}\n?[ \t]{0,2}|[ \t]{1,2}|\n[ \t]{0,2})?"
PHONE = re.compile(
    rf"(?<![\d\-.])(?:\+81{_PS}\(?0?\)?\d{{1,4}}{_PS}\d{{1,4}}{_PS}\d{{3,4}}"
    rf"|\(?0\d{{1,4}}\)?{_PS}\d{{1,4}}{_PS}\d{{3,4}})(?![\d\-])"
)
POSTAL = re.compile(
    r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])"
    r"|(?<=郵便番号)[:：は\s]{0,3}\d{3}-?\d{4}(?!\d)"
)
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
KANJI = "一-龥㐀-䶿豈-﫿々〆ヵヶ"  # with extension A and the compatibility ideographs (﨑, 﨟)
BUILDING = re.compile(
    rf"[{KANJI}{KATA}A-Za-zの]{{0,12}}(?:ハイツ|コーポ|マンション|アパート|荘|レジデンス|ハイム|メゾン|パレス|ヒルズ|"
    rf"団地|住宅|ハウス|コート|ビル|タワー|テラス|ガーデン|シティ)[{KATA}{KANJI}A-Za-z]{{0,8}}"
    r"\s?(?:\d+号棟\s?)?(?:\d{1,4}号室|\d{1,4}号|\d{3,4}(?![\d\-年月日歳円時分])|\d{1,2}-\d{2,4}(?![\d-]))"
)
ROOM = re.compile(r"(?<![\d-])\d{1,4}号室")
TOWN = re.compile(
    rf"(?:東京都|[{KANJI}]{{2,3}}[県府])?[{KANJI}]{{1,5}}?[区市]"
    rf"(?P<town>[{KANJI}{KANA}]{{1,8}}?)(?=(?:{NUM}丁目|\d|在住|に住|に在住|で暮らし|で一人暮らし|の自宅|の実家|の団地|のアパート|のマンション))"
)
TOWN_NOT = re.compile(
    r"^(内|外|役所|役場|民|部|長|立|営|議会|全域|全体|周辺|近辺|以外|の|から|まで|で|に|は|と|が|も|を)"
    r"|(会館|センター|ホール|館|庁舎|棟|会議室|相談室)$"
)
# Towns and villages (郡・町・村・大字・字) down to the lot number: a district (郡) or a Tokyo town or
# village by name, then 大字/字 and a place, and the number.
TOWN_VILLAGE = re.compile(
    rf"(?:[{KANJI}]{{2,4}}郡)?(?:(?<=郡)[{KANJI}ヶケの]{{1,5}}?[町村]|(?:瑞穂町|日の出町|檜原村|奥多摩町|大島町|"
    rf"利島村|新島村|神津島村|三宅村|御蔵島村|八丈町|青ヶ島村|小笠原村))"
    rf"(?:[{KANJI}ヶケ]{{1,4}}?)?(?:大?字[{KANJI}{KANA}ヶケ]{{1,8}}?)?\s?"
    rf"(?:\d{{1,5}}(?:番地?)?(?:[-のー]\d{{1,4}}){{0,2}}(?:号)?(?![\d年月日歳円時分人件回名])|(?=大字))"
)
# A home pinned by what stands next to it: a named shop, park or station, then 裏・向かい・隣 …, then
# the house or flat (サミット○○店の裏のアパート).
_LANDMARK = (
    r"(?:店|駅(?:前|[東西南北]口|改札)?|公園|神社|寺|郵便局|交番|図書館|病院|小学校|中学校|高校|"
    r"役所|会館|銀行|スーパー|コンビニ|{chains})"
)
_NEXT_TO = (
    r"(?:[東西南北]側|裏手?|真?向かい|斜め向かい|斜め前|隣|並び|前|横|奥|上|[二2２]階上|近く|そば|手前)"
)
_HOME = (
    r"(?:アパート|マンション|一戸建て|戸建て?|都営住宅|都営|市営住宅|公営住宅|団地|家|ワンルーム|住宅|"
    r"ハイツ|コーポ|寮|社宅|借家|自宅|実家)"
)
BUILDING_ROOM = re.compile(r"(?:(?<=団地)|(?<=住宅)|(?<=ハイツ)|(?<=コーポ))\s?\d{1,2}-\d{2,4}(?![\d-])")
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
_DS = r"[ \t\u3000]{0,2}\n?[ \t\u3000]{0,2}"  # blanks, and a line break, inside a written date
DATE = re.compile(
    rf"(?:(?P<era>明治|大正|昭和|平成|令和|(?<![{KANJI}])[明大昭平令](?=[.\d\s])\.?|(?<![A-Za-z])[MTSHRmtshr]\.?)"
    rf"{_DS}(?P<ey>\d{{1,2}}|[{KN}]{{1,3}}|元)"
    rf"|(?P<y>(?:19|20)\d{{2}}))"
    rf"(?:{_DS}年)?(?:{_DS}[(（]\s?(?:19|20)\d{{2}}\s?年?\s?[)）])?"
    rf"{_DS}(?:年|[./-]|(?<=[)）])){_DS}(?P<m>{DN}){_DS}(?:月|[./-]){_DS}(?P<d>{DN})日?"
)
MONTH_DAY = re.compile(rf"(?<![\d年./-])(?P<m>{DN})\s?月\s?(?P<d>{DN})\s?日")
BIRTH_BEFORE = re.compile(
    r"(生年月日|誕生日|出生日|生まれ日|DOB|生年|誕生|生まれたの|生まれた日)[:：は\s（(]*$"
)
BIRTH_AFTER = re.compile(
    r"^\s?(?:生まれ|生れ|生(?!活|徒|保|涯|命|産|育|協|計|前)|産まれ|[(（]\s?\d{1,3}歳|[(（]\s?[{KN}]+歳|[（(]生|に生まれ|に誕生)".replace(
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
    r"(?:LINE|Line|line|ライン)[\s\S]{0,24}?(?:ID|id|アカウント|ＩＤ)[^A-Za-z0-9@。\n]{0,8}"
    r"(?P<id>@?(?=[A-Za-z0-9._\-]*[A-Za-z])[A-Za-z0-9._\-]{3,30})"
)
# The ID first, LINE after it: ID: taro_1234（LINE）.
LINE_ID_BEFORE = re.compile(
    r"(?:ID|id|ＩＤ)[:：は\s]{0,3}(?P<id>@?(?=[A-Za-z0-9._\-]*[A-Za-z])[A-Za-z0-9._\-]{3,30})"
    r"[\s（(]{0,2}(?:LINE|Line|ライン)"
)
# Game and chat handles: Discord (name#1234), Steam, PSN, friend codes, a user name near the service.
GAME_HANDLE = re.compile(
    r"(?:Discord|discord|ディスコード|ディスコ|Steam|steam|スチーム|PSN|Xbox|ゲーマータグ|Twitch|"
    r"ユーザー名|ユーザーID|ハンドルネーム|アカウント名)[^。\n]{0,16}?"
    r"(?P<id>(?=[A-Za-z0-9._\-#]*[A-Za-z])[A-Za-z0-9_][A-Za-z0-9._\-]{2,31}(?:#\d{4})?)"
    r"|(?P<tag>(?<![A-Za-z0-9_.])[A-Za-z0-9_.]{2,32}#\d{4})(?![\d])"
)
FRIEND_CODE = re.compile(r"(?<![A-Za-z0-9])(?:SW|sw)-?\d{4}-\d{4}-\d{4}(?!\d)")
# Numbers of documents and files that identify a person, after the word that says what they are:
# 障害者手帳, 受給者証, 被保険者証, 介護保険, 住民票コード, and the case or chart numbers of other
# agencies (児童相談所, 生活保護, 病院のカルテ・診察券).
ID_CONTEXT = re.compile(
    r"(?:手帳|受給者証|受給者番号|被保険者証?|被保険者番号|保険者番号|介護保険|住民票コード|診察券|カルテ|"
    r"患者番号|患者ID|ケース番号|ケースNo|ケース№|児相|生保|保護番号|登録番号|管理番号)[^\d\n。、]{0,10}?"
    r"(?P<n>(?:[都道府県]?第|生保第?|児相|No\.?\s?)?\d[\d\- ]{2,14}\d(?:号)?)"
    r"(?![\d円件名人回歳年月日時分%％級])"
)
# A number plate (多摩 580 あ 12-34): found from its class number and kana, the region read back.
# The number first, then what it is (a table row: 4401-2278⇥診察券).
ID_BEFORE_CONTEXT = re.compile(
    r"(?<![\d\-])(?P<n>\d[\d\-]{3,14}\d)[\t \u3000（(]{1,2}"
    r"(?:診察券|カルテ|受給者証|障害者手帳|手帳|被保険者証|保険証)"
)
VEHICLE_PLATE = re.compile(r"(?<!\d)\d{3}\s?[ぁ-ん]\s?(?:\d{1,2}-\d{2}|\d{4}|[・･]{1,3}\d{1,3})(?!\d)")
PLATE_REGION = re.compile(rf"(?<![{KANJI}])[{KANJI}]{{1,4}}\s?$")
# Bank accounts: 普通/当座 and seven digits (the bank and branch before it read back), ゆうちょ's
# 記号・番号.
BANK_ACCOUNT = re.compile(
    r"(?:普通|当座|貯蓄)(?:預金)?\s?(?:口座)?\s?(?:番号)?[:：\s]{0,2}\d{7}(?!\d)"
    r"|(?:ゆうちょ(?:銀行)?(?:の)?\s?)?記号[:：\s]{0,2}\d{5}[\s、,\-]{0,2}(?:番号)?[:：\s]{0,2}\d{6,8}(?!\d)"
    r"|(?<=ゆうちょ)(?:銀行)?[^\d\n。]{0,6}\d{5}-\d{6,8}(?!\d)"
)
BANK_BEFORE = re.compile(
    rf"[{KANJI}{KANA}A-Za-z]{{1,12}}(?:銀行|信用金庫|信金|信用組合|労働金庫|ろうきん)\s?"
    rf"(?:[{KANJI}{KATA}]{{1,10}}支店\s?)?$"
)
HANDLE = re.compile(
    r"(?<![A-Za-z0-9._%+\-@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![A-Za-z0-9_@.])"
)
URL = re.compile(
    r"(?<![A-Za-z0-9\-./])(?:https?://)?(?:www\.)?(?P<host>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)(?P<path>/[A-Za-z0-9._~%/@\-?=&#+]*)?"
)
_SCHOOL_TYPE = r"(?:小学校|中学校|中学|高等学校|高校|大学院|大学|専門学校|高専|特別支援学校|学園|学院)"
_SCHOOL_YEAR = r"(?:\d{4}|(?:昭和|平成|令和|[SHRshr])\d{1,2})年(?:度)?"
SCHOOL = re.compile(
    rf"(?P<name>[{KANJI}{KATA}]{{1,12}}?){_SCHOOL_TYPE}"
    rf"(?:[{KANJI}{KATA}]{{1,8}}?(?:学部|学科|研究科|コース))?"
    rf"(?:の|を|に)?\s?(?:{_SCHOOL_YEAR}\s?(?:に|の)?(?:卒業|卒|中退|入学|退学|在籍)"
    rf"|(?:{NUM}|[{KN}])年(?:生|次)?(?![間前後目度ぶ]))"
)
# The year before the school: 令和3年 都立府中西高校卒業.
SCHOOL_AFTER_YEAR = re.compile(
    rf"{_SCHOOL_YEAR}(?:に|の)?\s?(?P<name>[{KANJI}{KATA}]{{1,12}}?){_SCHOOL_TYPE}(?=\s?(?:を|に)?(?:卒業|卒|中退|入学|退学))"
)
COMPANY = re.compile(
    rf"(?:(?:株式会社|有限会社|合同会社|\(株\)|\(有\)|㈱|㈲)[{KANJI}{KATA}A-Za-z]{{1,12}}|[{KANJI}{KANA}A-Za-z]{{1,12}}(?:株式会社|有限会社|\(株\)|㈱|㈲|商事|物産|工業|製作所|銀行|証券|建設|運輸|電機|食品|産業|商会|興業))"
    rf"(?:の|\s)?(?P<dept>[{KANJI}{KATA}]{{1,10}}?(?:部|課|係|室|支店|営業所|工場|店|センター))"
)
NICKNAME = re.compile(
    r"[「『\"“](?P<n>[^「」『』\"“”。、\s]{1,10})[」』\"”](?:と|って)"
    r"(?:呼ばれ|呼んで|呼ぶ|呼び|名乗|署名|サイン|記名|いう(?:あだ名|愛称|呼び名|名前))"
)
NICK_CONTEXT = re.compile(
    r"(?:あだ名|愛称|呼び名|ニックネーム|ハンドルネーム|通称)(?:は|が|：|:)\s?[「『](?P<n>[^「」『』。、\s]{1,12})[」』]"
)
# Two letters standing for a real name (Ｋ・Ｔ, T.K.): offered for confirmation; one letter (Ａさん) is
# the pseudonym the guard asks for and stays clean.
INITIALS_NAME = re.compile(r"(?<![A-Za-z0-9.])[A-Z](?:[・.]\s?|\s)[A-Z]\.?(?![A-Za-z0-9])")
INITIALS_NOT = re.compile(r"^(?:P\.S|Q\.A|A\.M|P\.M|U\.S|U\.K|E\.U)")
# A relation word, then a given name that is also a word (娘のあおいは, 長男のみなとが).
RELATION_NAME = re.compile(
    r"(?:長男|長女|次男|次女|三男|三女|息子|娘|孫|兄|姉|弟|妹|夫|妻)(?:の|、|\s)"
    r"(?P<n>[ぁ-ん]{2,4}|[ァ-ヶー]{2,6})(?=ちゃん|くん|さん|は|が|も|を|と|に|、|（)"
)
RELATION_NAME_NOT = frozenset(
    [
        "こと",
        "もの",
        "ほう",
        "ため",
        "せい",
        "ところ",
        "よう",
        "わけ",
        "はず",
        "まま",
        "あと",
        "まえ",
        "うち",
        "ぶん",
        "みんな",
        "かた",
        "ひと",
        "へや",
        "ほか",
        "ころ",
        "ころは",
        "とき",
        "ばあい",
        "ようす",
    ]
)
# Foreign names in katakana joined by ・ (ユン・ソヨン, ホアン・ヴァン・ナム), where a relation or role,
# an honorific, or (母) marks a person.
KATAKANA_DOT_NAME = re.compile(
    rf"(?<![{KATA}])(?P<n>[{KATA}]{{1,8}}(?:[・･][{KATA}]{{1,8}}){{1,3}})(?![{KATA}・･])"
)
PERSON_WORD_BEFORE = re.compile(
    r"(?:氏名|名前|署名|本人|相談者|利用者|担当|父|母|兄|姉|弟|妹|長男|長女|次男|次女|息子|娘|祖父|祖母|夫|妻|"
    r"叔父|叔母|伯父|伯母|友人|知人|恋人|彼氏|彼女)(?:の|は|：|:|（|\(|、)?[ \u3000]?$"
)
PERSON_BEFORE = re.compile(rf"{PERSON_WORD_BEFORE.pattern}|(?:^|\n)$")
PERSON_AFTER = re.compile(
    r"^[ \u3000]?(?:さん|くん|君|ちゃん|様|さま|氏|先生|医師|殿|"
    r"[（(](?:本人|父|母|兄|姉|弟|妹|夫|妻|息子|娘|祖父|祖母|叔父|叔母|[0-9０-９]{1,3})|"
    r"と名乗|と署名)"
)
# One-character Chinese and Korean surnames before a space and the given name (朴 俊浩).
CK_NAME = re.compile(rf"(?P<s>[{KANJI}])[ \u3000](?P<g>[{KANJI}]{{1,2}})(?![{KANJI}])")
HONORIFIC = r"(?:さん|くん|君|ちゃん|様(?![々子式相態])|さま|氏)"  # not 様々・様子
KANA_NAME = re.compile(
    rf"(?<![{KANA}])(?P<n>[{KATA}]{{2,8}}(?:[\s・･][{KATA}]{{2,8}})?|[ぁ-ん]{{2,8}}(?:[\s・][ぁ-ん]{{2,8}})?){HONORIFIC}"
)
KANA_FULL_NAME = re.compile(rf"(?<![{KATA}])(?P<n>[{KATA}]{{2,7}}[\s・･][{KATA}]{{2,7}})(?![{KATA}])")
HIRAGANA_FULL_NAME = re.compile(
    r"(?:氏名|名前|本人|相談者|父|母|兄|姉|弟|妹|長男|長女|次男|次女|息子|娘|祖父|祖母|夫|妻)(?:の|は|：|:|（|\()?\s?"
    r"(?P<n>[ぁ-ん]{2,7}[\s・][ぁ-ん]{2,7}?)(?=さん|くん|ちゃん|様|[^ぁ-ん]|$)"
    r"|(?<![ぁ-ん])(?P<m>[ぁ-ん]{2,6}[ \u3000][ぁ-ん]{2,5})"
    r"(?=[（(](?:本人|父|母|兄|姉|弟|妹|夫|妻|息子|娘|祖父|祖母)[）)])"
)
KANA_NAME_CONTEXT = re.compile(
    r"(氏名|名前|本人|相談者|父|母|兄|姉|弟|妹|長男|長女|次男|次女|息子|娘|祖父|祖母|夫|妻)(?:の|は|：|:|\s)?\s?$"
)
LATIN_NAME = re.compile(
    r"(?<![A-Za-z])(?P<n>[A-Z][a-z]{1,15}\s[A-Z][a-z]{1,15}|[A-Z]{2,15}\s[A-Z][a-z]{1,15}|[A-Z][a-z]{1,15}\s[A-Z]{2,15})(?![A-Za-z])"
)


_CHAINS = "|".join(re.escape(c) for c in sorted(pii_data.CHAIN_STORES, key=len, reverse=True))
# Found from the landmark's last word and what follows; the landmark's name is read back from there.
LANDMARK_HOME = re.compile(
    rf"{_LANDMARK.format(chains=_CHAINS)}(?:の|から)?{_NEXT_TO}の?[^\s、。「」]{{0,6}}?{_HOME}"
)
LANDMARK_NAME = re.compile(r"[^\s、。「」『』（）()：:・]{1,20}$")
# A chain's named branch as a workplace (ユニクロ吉祥寺店, セブン-イレブン立川錦町3丁目店).
CHAIN_BRANCH = re.compile(
    rf"(?:{_CHAINS})[\s・]?(?P<branch>[{KANJI}{KATA}A-Za-z0-9\-]{{1,16}}?)店(?![舗員長内頭主])"
)
# A hospital or an office with the person's profession or department there (○○病院 精神科,
# ○○センターの看護師, 東京消防庁 立川消防署の消防士).
_PROFESSION = (
    rf"(?:[{KANJI}]{{0,6}}?(?:科|部|課|係|室|病棟)|看護師|医師|薬剤師|保健師|消防士|警察官|職員|相談員|教員|教諭|"
    r"事務員|栄養士|介護士|介護職|ヘルパー|社員|係長|課長|部長|主任|勤務)"
)
ORG_ROLE = re.compile(
    rf"(?P<org>(?:[{KANJI}{KATA}A-Za-z]{{2,12}}[ \u3000])?[{KANJI}{KANA}A-Za-z]{{2,24}}?"
    r"(?:病院|医院|クリニック|医療センター|支援センター|センター|消防署|警察署|"
    rf"支社|本社|支店|営業所|事業所|事務所|法人[{KANJI}{KANA}]{{1,10}}会|協会|大学|学校))"
    rf"(?:の|\s)?(?P<role>{_PROFESSION})"
)
ORG_NOT = re.compile(r"^(?:区役所|市役所|地域包括支援センター|保健センター|保健所|区民センター|市民センター)")


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
PARTICLE_NOT_NO = re.compile(rf"[{KANJI}](?:は|が|を|に|で|と|も|から)")


def _after_particle(passage: str, keep_no: bool = False) -> int:
    """Where a passage really starts when a sentence ran into it: 「父は株式会社…」 → after は,
    「兄のやまもと」 → after の. A particle after kana is part of the name (みなと銀行)."""
    cut = 0
    for m in (PARTICLE_NOT_NO if keep_no else PARTICLE_AFTER_KANJI).finditer(passage):
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
    numeric = denoise(folded)
    for m in EMAIL.finditer(folded):
        add("email", m.start(), m.end())
    for m in EMAIL_WRITTEN.finditer(folded):
        add("email", m.start(), m.end())
    for m in INDIVIDUAL.finditer(numeric):
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
    for m in DATE.finditer(numeric):
        if not _valid_date(m):
            continue
        before = folded[max(0, m.start() - 10) : m.start()]
        after = folded[m.end() : m.end() + 6]
        if BIRTH_BEFORE.search(before) or BIRTH_AFTER.search(after):
            add("birthdate", m.start(), m.end())
    for m in MONTH_DAY.finditer(numeric):  # 誕生日は7月15日: a birthday without its year
        if BIRTH_BEFORE.search(folded[max(0, m.start() - 10) : m.start()]) and _valid_date(m):
            add("birthdate", m.start(), m.end())
    published = None
    for m in PHONE.finditer(numeric):
        digits = _digits(m.group())
        n = len(digits)
        international = m.group().startswith("+81")
        if not ((10 <= n <= 11) or (international and 11 <= n <= 12)):
            continue
        if published is None:
            published = public_numbers()
        national = "0" + digits[2:].lstrip("0") if international else digits
        if national in published or national.startswith(NON_PERSONAL_PREFIXES):
            continue
        if _office_number(folded, m.start(), m.end()):
            continue
        add("phone", m.start(), m.end())
    for m in POSTAL.finditer(numeric):
        add("postal_code", m.start() + len(m.group()) - len(m.group().lstrip(":：は \t")), m.end())
    for pattern in (ID_CONTEXT, ID_BEFORE_CONTEXT):
        for m in pattern.finditer(numeric):
            add("id_number", m.start("n"), m.end("n"))
    for m in VEHICLE_PLATE.finditer(numeric):
        region = PLATE_REGION.search(folded, max(0, m.start() - 5), m.start())
        if region:
            add("id_number", region.start() + _after_particle(region.group()), m.end())
    for m in BANK_ACCOUNT.finditer(numeric):
        bank = BANK_BEFORE.search(folded, max(0, m.start() - 30), m.start())
        start = bank.start() + _after_particle(bank.group()) if bank else m.start()
        add("bank_account", start, m.end())
    for m in TOWN_VILLAGE.finditer(numeric):
        add("address", m.start(), m.end())
    for m in LANDMARK_HOME.finditer(folded):
        name = LANDMARK_NAME.search(folded, max(0, m.start() - 20), m.start())
        start = name.start() + _after_particle(name.group(), keep_no=True) if name else m.start()
        add("address", start, m.end())
    for m in BUILDING_ROOM.finditer(numeric):
        add("address", m.start(), m.end())
    for m in ADDRESS.finditer(numeric):
        if folded[m.end() : m.end() + 1] == "店":
            continue  # 錦町3丁目店: a shop's branch, read with the chain
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
    for pattern in (LINE_ID, LINE_ID_BEFORE):
        for m in pattern.finditer(folded):
            add("account", m.start("id"), m.end("id"))
    for m in GAME_HANDLE.finditer(folded):
        group = "id" if m.group("id") else "tag"
        add("account", m.start(group), m.end(group))
    for m in FRIEND_CODE.finditer(folded):
        add("account", m.start(), m.end())
    for m in HANDLE.finditer(folded):
        add("account", m.start(), m.end())
    for m in URL.finditer(folded):
        host, path = m.group("host").lower(), m.group("path") or ""
        personal_host = any(host == h or host.endswith("." + h) for h in pii_data.PERSONAL_HOSTS)
        if (personal_host and len(path) > 1) or re.search(r"/[~@][A-Za-z0-9]", path):
            add("account", m.start(), m.end())
    for m in SCHOOL.finditer(folded):
        school: str = m.group("name")
        for type_word in ("都立", "区立", "市立", "県立", "私立", "国立", "府立", "町立", "村立"):
            if school.startswith(type_word):
                school = school[len(type_word) :]
        if school and school not in pii_data.NOT_SCHOOL_NAMES and not re.fullmatch(r"[小中高大]", school):
            add("quasi_identifier", m.start(), m.end())
    for m in SCHOOL_AFTER_YEAR.finditer(folded):
        if m.group("name") not in pii_data.NOT_SCHOOL_NAMES:
            add("quasi_identifier", m.start(), m.end())
    for m in COMPANY.finditer(folded):
        company = folded[m.start() : m.start("dept")].rstrip("の ")
        add("quasi_identifier", m.start() + _after_particle(company), m.end())
    for m in CHAIN_BRANCH.finditer(folded):
        add("quasi_identifier", m.start(), m.end())
    for m in ORG_ROLE.finditer(folded):
        org = m.group("org")
        cut = _after_particle(org)
        if not ORG_NOT.match(org[cut:]) and len(org) - cut >= 4:
            add("quasi_identifier", m.start() + cut, m.end())
    for pattern in (NICKNAME, NICK_CONTEXT):
        for m in pattern.finditer(folded):
            add("name", m.start("n"), m.end("n"))
    for m in KANA_NAME.finditer(folded):
        kana: str = m.group("n")
        if m.start() and (cut := _after_particle(folded[m.start() - 1 : m.end("n")])):
            kana = kana[cut - 1 :]
        if kana.replace(" ", "").replace("・", "") in pii_data.NOT_NAMES_BEFORE_HONORIFIC:
            continue
        add("name", m.end("n") - len(kana), m.end("n"))
    for m in KANA_FULL_NAME.finditer(folded):
        if KANA_NAME_CONTEXT.search(folded[max(0, m.start() - 6) : m.start()]):
            add("name", m.start("n"), m.end("n"))
    for m in HIRAGANA_FULL_NAME.finditer(folded):
        group = "n" if m.group("n") else "m"
        add("name", m.start(group), m.end(group))
    for m in LATIN_NAME.finditer(folded):
        if not any(w in pii_data.NOT_LATIN_NAMES for w in m.group("n").split()):
            add("name", m.start("n"), m.end("n"))
    for m in INITIALS_NAME.finditer(folded):
        if not INITIALS_NOT.match(m.group()):
            add("name", m.start(), m.end())
    for m in RELATION_NAME.finditer(folded):
        word = m.group("n")
        if word in pii_data.NOT_NAMES_BEFORE_HONORIFIC | pii_data.KATAKANA_WORDS:
            continue
        if not any(word.startswith(stop) for stop in RELATION_NAME_NOT):  # 弟のことで
            add("name", m.start("n"), m.end("n"))
    for m in KATAKANA_DOT_NAME.finditer(folded):
        parts = re.split("[・･]", m.group("n"))
        if any(p in pii_data.KATAKANA_WORDS for p in parts):
            continue
        before = folded[max(0, m.start() - 8) : m.start()]
        if PERSON_BEFORE.search(before) or PERSON_AFTER.match(folded[m.end() : m.end() + 6]):
            add("name", m.start(), m.end())
    for m in CK_NAME.finditer(folded):
        given = m.group("g")
        glued = m.start() and re.match(f"[{KANJI}]", folded[m.start() - 1])  # 友人張 偉: a word before
        if glued and not PERSON_WORD_BEFORE.search(folded[max(0, m.start() - 8) : m.start()]):
            continue
        if (
            m.group("s") in pii_data.CHINESE_KOREAN_SURNAMES
            and given not in pii_data.NOT_NAMES_BEFORE_HONORIFIC
        ):
            after = folded[m.end() : m.end() + 3]
            if NAME_FOLLOWERS.match(after) or after[:1] in ("\t", " ", "\u3000", ")", "(", "、"):
                add("name", m.start(), m.end())
    found += _table_findings(text, numeric)
    return found


# --- tables pasted as tab-separated text ------------------------------------------------------------

TABLE_HEADER = {
    "name": re.compile(
        r"^(?:本人)?(?:氏名|名前|お名前|利用者(?:名)?|相談者(?:名)?|フリガナ|ふりがな)(?:[（(].{1,4}[）)])?$"
    ),
    "birthdate": re.compile(r"^(?:生年月日|誕生日)$"),
    "phone": re.compile(r"^(?:電話(?:番号)?|TEL|Tel|携帯(?:電話)?|連絡先)$"),
    "address": re.compile(r"^(?:住所|現住所|居所)$"),
}
TABLE_DATE = re.compile(
    rf"^(?:明治|大正|昭和|平成|令和|[明大昭平令]|[MTSHRmtshr])\.?\s?(?:\d{{1,2}}|元)\s?[年./-]\s?{DN}\s?[月./-]\s?{DN}日?$"
    rf"|^(?:19|20)\d{{2}}\s?[年./-]\s?{DN}\s?[月./-]\s?{DN}日?$"
)


def _table_findings(text: str, numeric: str) -> list[Finding]:
    """A tab-separated table: the cells under 氏名・生年月日・電話・住所 are what their heading says,
    whether the heading is the first row (a column) or the first cell of the row (a key and value)."""
    if "\t" not in text:
        return []
    found: list[Finding] = []
    header: list[str | None] | None = None
    offset = 0
    for line in text.split("\n"):
        cells, pos = [], offset
        for cell in line.split("\t"):
            cells.append((pos, cell))
            pos += len(cell) + 1
        if len(cells) < 2:
            header = None
        else:
            kinds = [_heading_kind(c) for _p, c in cells]
            first = kinds[0]
            if header is None and any(kinds):
                header = kinds
            elif first and all(k is None for k in kinds[1:]):
                for start, cell in cells[1:]:  # 本人氏名⇥いのうえ はるき
                    found += _cell_finding(text, numeric, first, start, cell)
            elif header is not None:
                for (start, cell), kind in zip(cells, header + [None] * len(cells), strict=False):
                    if kind:
                        found += _cell_finding(text, numeric, kind, start, cell)
        offset += len(line) + 1
    return found


def _heading_kind(cell: str) -> str | None:
    cell = cell.strip()
    return next((kind for kind, pattern in TABLE_HEADER.items() if pattern.match(cell)), None)


def _cell_finding(text: str, numeric: str, kind: str, start: int, cell: str) -> list[Finding]:
    stripped = cell.strip()
    if not stripped or _heading_kind(stripped):
        return []
    start += len(cell) - len(cell.lstrip())
    end = start + len(stripped)
    value = numeric[start:end]
    if kind == "name":
        if re.search(r"\d|[。、]", value) or len(value) > 20 or value in pii_data.NOT_NAMES_BEFORE_HONORIFIC:
            return []
    elif kind == "birthdate":
        if not TABLE_DATE.match(value):
            return []
    elif kind == "phone":
        if not 10 <= len(_digits(value)) <= 11 or _digits(value) in public_numbers():
            return []
    elif not re.search(r"\d", value):
        return []
    return [Finding(start, end, kind, text[start:end])]


# --- names and places (SudachiPy) -----------------------------------------------------------------

_local = threading.local()
NOT_A_PERSON_AFTER = re.compile(
    r"^(病院|クリニック|医院|診療所|会|区|市|町|村|駅|大学|高校|高等学校|中学|小学校|学園|法律事務所|事務所|"
    r"センター|商店|工業|株式会社|記念|ビル|ホール|通り|公園|寺|神社|丁目)"
)
HONORIFIC_AFTER = re.compile(rf"^{HONORIFIC}")
# An honorific or a role after a surname: 先生・医師・殿 and the roles staff write (須藤ワーカー).
_ROLES = "|".join(sorted(pii_data.ROLE_WORDS, key=len, reverse=True))
PERSON_MARK_AFTER = re.compile(rf"^(?:{HONORIFIC}|{_ROLES})")


# "Aさん", "T.K.さん": initials are the anonymised form the guard asks for, not a name.
INITIALS = re.compile(r"[A-Za-z](?:\.?\s?[A-Za-z]){0,2}\.?")


def _tokenizer():
    """This thread's tokenizer (split mode C) and the part-of-speech lookup of its dictionary."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode, dictionary

        sudachi = dictionary.Dictionary(dict="core")
        tok = (sudachi.tokenizer(mode=SplitMode.C), sudachi.pos_of)
        _local.tokenizer = tok
    return tok


# What a part of speech means here, by its id (cached per process): most tokens are none of these,
# and are passed over without reading their text.
_OTHER, _PERSON, _PROPER, _PLACE, _BLANK = range(5)
_pos_kinds: dict[int, tuple[int, tuple]] = {}


def _pos_kind(pos_id: int, pos_of) -> tuple[int, tuple]:
    known = _pos_kinds.get(pos_id)
    if known is None:
        pos = tuple(pos_of(pos_id))
        if pos[1] == "固有名詞":
            kind = _PERSON if pos[2] == "人名" else _PLACE if pos[2] == "地名" else _PROPER
        elif pos[0] == "空白" or pos[1] == "一般" and pos[0] == "補助記号":
            kind = _BLANK
        else:
            kind = _OTHER
        known = _pos_kinds[pos_id] = (kind, pos)
    return known


def _name_findings(text: str) -> list[Finding]:
    """Runs of 人名 tokens (a dictionary word, or an unknown word only when an honorific follows),
    a surname or given name before さん／くん／ちゃん, and place names that go below the
    municipality (八王子市元本郷町: a ward or city with its town)."""
    tok, pos_of = _tokenizer()
    found: list[Finding] = []
    span_start: int | None = None
    span_end: int | None = None
    offset = 0

    def close():
        nonlocal span_start, span_end
        if span_start is not None and span_end is not None:
            found.append(Finding(span_start, span_end, "name", text[span_start:span_end]))
        span_start = span_end = None

    for chunk in _chunks(text):
        for m in tok.tokenize(chunk):
            kind, pos = _pos_kind(m.part_of_speech_id(), pos_of)
            if kind == _OTHER:
                if span_start is not None:
                    close()
                continue
            start, end = offset + m.begin(), offset + m.end()
            if kind == _BLANK:  # 林 真由: a blank or ・ between the halves keeps the name open
                if span_end is not None and not (
                    end - start == 1 and text[start] in " 　・" and start == span_end
                ):
                    close()
                continue
            surface = text[start:end]
            is_name = kind == _PERSON or (
                # 平田医師, 石原先生: a surname the dictionary files as a place or a proper noun
                re.fullmatch(f"[{KANJI}]{{2,3}}", surface) is not None
                and PERSON_MARK_AFTER.match(text[end : end + 7]) is not None
            )
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
            elif is_name and (m.is_oov() or pos[3] == "一般" or kind != _PERSON):
                is_name = bool(PERSON_MARK_AFTER.match(text[end : end + 7])) and (
                    surface not in pii_data.NOT_NAMES_BEFORE_HONORIFIC
                )
            if kind == _PLACE and re.search(r"[区市郡].", surface) and not re.search(r"[区市]$", surface):
                found.append(Finding(start, end, "address", surface))
            if is_name and span_end is not None and start - span_end <= 1:
                span_end = end
                continue
            close()
            if is_name:
                span_start, span_end = start, end
        offset += len(chunk)
    close()
    return [
        f
        for f in found
        if f.kind != "name"
        or (
            not NOT_A_PERSON_AFTER.match(text[f.end : f.end + 8])
            and not INITIALS.fullmatch(fold(f.text))
            and _stands_as_a_name(text, f)
            and not _terrain_word(text, f)
        )
    ]


def _terrain_word(text: str, f: Finding) -> bool:
    """川口の親戚宅, 林の中: a surname that is also a word for land or water, alone (no honorific or
    role after it, no given name beside it, no word before it that marks a person)."""
    if f.text not in pii_data.TERRAIN_SURNAMES:
        return False
    if PERSON_MARK_AFTER.match(text[f.end : f.end + 7]):
        return False
    return not PERSON_WORD_BEFORE.search(text[max(0, f.start - 8) : f.start])


NAME_FOLLOWERS = re.compile(rf"^(?:{HONORIFIC}|[はがのとにをもへや、。，．（）()「」』\n]|$)")


def _stands_as_a_name(text: str, f: Finding) -> bool:
    """A name the dictionary found is taken when it stands like a name: not a lone character
    inside other words (弁護士 read as 弁 + 護, 第10回), not an item of a ・ list of places
    (福生・足立)."""
    before, after = text[f.start - 1 : f.start], text[f.end : f.end + 3]
    if before == "・" and PERSON_WORD_BEFORE.search(text[max(0, f.start - 5) : f.start - 1]):
        return True  # 長男・翔太（25）: a relation, then the name
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
    "bank_account": 2,
    "individual_number": 3,
    "id_number": 4,
    "birthdate": 5,
    "phone": 6,
    "postal_code": 7,
    "address": 8,
    "quasi_identifier": 9,
    "name": 10,
}


OPENING = "「『（(【［[〈《“\"'"
CLOSING = "」』）)】］]〉》”\"'"
NAME_HALF = re.compile(rf"[{KANJI}]{{1,4}}|[{KATA}]{{2,8}}|[ぁ-ん]{{2,6}}|[A-Za-z]{{2,15}}")
NAME_BOUNDARY = re.compile(rf"^(?:{HONORIFIC}|先生|医師|殿|[\s、。，．・（）()「」『』:：/／]|$)")
NAME_GAP = (" ", "\u3000", "\t")


def _trim(text: str, f: Finding) -> Finding | None:
    """No finding starts or ends on a bracket (『くろねこ』 → くろねこ) or a blank."""
    start, end = f.start, f.end
    while start < end and (text[start] in OPENING or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in CLOSING or text[end - 1].isspace()):
        end -= 1
    if end <= start:
        return None
    return f if (start, end) == (f.start, f.end) else Finding(start, end, f.kind, text[start:end])


class _Taken:
    """Findings kept so far, which never overlap: kept sorted by start, so whether a passage overlaps
    one of them is two neighbours away (bisect), not a walk through all of them."""

    def __init__(self):
        self.starts: list[int] = []
        self.findings: list[Finding] = []

    def add(self, f: Finding) -> None:
        i = bisect.bisect_left(self.starts, f.start)
        self.starts.insert(i, f.start)
        self.findings.insert(i, f)

    def overlaps(self, start: int, end: int, other_than: Finding | None) -> bool:
        i = bisect.bisect_left(self.starts, end)
        for t in self.findings[max(0, i - 2) : i]:
            if t is not other_than and t.start < end and start < t.end:
                return True
        return False


def _whole_name(text: str, f: Finding, taken: _Taken) -> Finding:
    """A name finding that covers one half of a name grows across the space, full-width space or
    table cell to the other half (相良 勇気, 林 真由, 木下⇥健一): the writer removes a whole name."""
    start, end = f.start, f.end
    kanji = re.fullmatch(f"[{KANJI}]+", f.text) is not None
    if end < len(text) - 1 and text[end] in NAME_GAP and text[end + 1] not in NAME_GAP:
        m = NAME_HALF.match(text, end + 1)
        if (
            m
            and _same_script(f.text, m.group())
            and NAME_BOUNDARY.match(text[m.end() : m.end() + 3])
            and m.group() not in pii_data.NOT_NAMES_BEFORE_HONORIFIC
            and m.group() not in pii_data.ROLE_WORDS
            and not taken.overlaps(m.start(), m.end(), f)
            and len(f.text.split()) == 1
        ):
            end = m.end()
    if (
        kanji
        and start > 1
        and text[start - 1] in NAME_GAP
        and text[start - 2] not in NAME_GAP
        and end == f.end
    ):
        run = re.search(rf"[{KANJI}]{{1,3}}$", text[max(0, start - 5) : start - 1])
        if run and not re.search(
            "氏名|名前|本人|担当|相談者|利用者|署名|宛先", text[max(0, start - 6) : start]
        ):
            half = run.group()
            for word in sorted(
                pii_data.NOT_NAMES_BEFORE_HONORIFIC | {"本人", "友人", "叔母", "叔父"}, key=len
            ):
                if half.startswith(word) and len(half) > len(word):
                    half = half[len(word) :]
            begin = start - 1 - len(half)
            if (
                half not in pii_data.NOT_NAMES_BEFORE_HONORIFIC
                and half not in pii_data.ROLE_WORDS
                and half not in ("担当", "氏名", "名前", "本人")
                and not taken.overlaps(begin, start - 1, f)
            ):
                start = begin
    if (start, end) == (f.start, f.end):
        return f
    return Finding(start, end, "name", text[start:end])


def _same_script(a: str, b: str) -> bool:
    """Two halves of one name: kanji with kanji or hiragana (林 真由, 森 かおり), katakana with
    katakana, Latin letters with Latin letters."""

    def script(s: str) -> str:
        if re.fullmatch(r"[A-Za-zＡ-Ｚａ-ｚ]+", s):
            return "latin"
        if re.fullmatch(f"[{KATA}]+", s):
            return "kata"
        return "ja"

    return script(a) == script(b)


def _despaced_findings(text: str) -> list[Finding]:
    """Findings in lines written one character at a time, found on the line without its spaces (a
    whole scan of it) and mapped back to the text."""
    found = []
    for line, where in _despaced(text):
        for f in scan(line, _despace=False):
            start, end = where[f.start], where[f.end - 1] + 1
            found.append(Finding(start, end, f.kind, text[start:end]))
    return found


def scan(text: str, _despace: bool = True) -> list[Finding]:
    """All findings in ``text``, sorted, overlaps resolved in favour of the more specific kind
    (and, within a kind, the longer passage); names grown to the whole name; no finding starts or
    ends on a bracket."""
    if not text:
        return []
    folded = fold(text)
    candidates = _pattern_findings(text, folded) + _name_findings(text)
    if _despace:
        candidates += _despaced_findings(text)
    candidates = [t for f in candidates if (t := _trim(text, f)) is not None]
    candidates.sort(key=lambda f: (PRIORITY[f.kind], -(f.end - f.start), f.start))
    taken = _Taken()
    for f in candidates:
        if not taken.overlaps(f.start, f.end, None):
            taken.add(f)
    grown = [_whole_name(text, f, taken) if f.kind == "name" else f for f in taken.findings]
    merged: list[Finding] = []
    for f in sorted(grown):  # 練馬区曙町 + 8丁目21-5 is one address
        last = merged[-1] if merged else None
        if last and last.kind == f.kind == "address" and text[last.end : f.start].strip() == "":
            merged[-1] = Finding(last.start, f.end, "address", text[last.start : f.end])
        elif last and last.kind == f.kind == "name" and text[last.end : f.start] in NAME_GAP:
            merged[-1] = Finding(last.start, f.end, "name", text[last.start : f.end])  # 木下⇥健一
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
