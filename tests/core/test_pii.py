"""The personal-data scanner: every kind it knows finds its example and leaves the look-alike alone,
so dropping or breaking any kind fails here."""

import pytest

from portal.core import pii

# kind: (text with one finding of the kind, the passage found, look-alike text that is not one)
EXAMPLES = {
    "name": ("山田太郎さんの母から相談があった。", "山田太郎", "母と兄、Aさんの三人で暮らしている。"),
    "phone": ("母から090-1234-5678に連絡があった。", "090-1234-5678", "ひきこもり歴12年、相談は3回目。"),
    "email": (
        "連絡先は taro.yamada@example.jp です。",
        "taro.yamada@example.jp",
        "連絡はメール（@マーク入り）で。",
    ),
    "postal_code": ("住まいは〒192-0001の近く。", "〒192-0001", "令和5年度の相談件数は120件。"),
    "address": ("元本郷町三丁目24番1号に住む。", "三丁目24番1号", "三年前から自宅で過ごす。"),
    "birthdate": ("生年月日：平成10年7月15日", "平成10年7月15日", "令和5年4月1日から窓口に通う。"),
    "individual_number": (
        "マイナンバー 1234 5678 9012 を聞いた。",
        "1234 5678 9012",
        "受付番号 1234 5678 9010 で管理。",
    ),
}


def test_every_kind_of_the_scanner_has_an_example():
    assert set(EXAMPLES) == set(pii.KINDS)
    assert set(pii.PRIORITY) == set(pii.KINDS)


@pytest.mark.parametrize("kind", pii.KINDS)
def test_kind_is_found_in_its_example(kind):
    text, passage, _other = EXAMPLES[kind]

    found = [(f.kind, f.text) for f in pii.scan(text)]

    assert (kind, passage) in found


@pytest.mark.parametrize("kind", pii.KINDS)
def test_kind_is_not_found_in_a_look_alike(kind):
    _text, _passage, other = EXAMPLES[kind]

    assert kind not in {f.kind for f in pii.scan(other)}


def test_full_width_digits_are_found_with_true_offsets():
    text = "電話は０９０ー１２３４ー５６７８です。"

    (finding,) = pii.scan(text)

    assert finding.kind == "phone" and text[finding.start : finding.end] == "０９０ー１２３４ー５６７８"


def test_every_kind_has_a_japanese_label():
    from django.utils import translation

    with translation.override("ja"):
        labels = {kind: str(pii.kind_label(kind)) for kind in pii.KINDS}

    assert labels == {
        "name": "人名",
        "phone": "電話番号",
        "email": "メールアドレス",
        "postal_code": "郵便番号",
        "address": "住所",
        "birthdate": "生年月日",
        "individual_number": "個人番号",
    }
