import datetime as dt
import re

import pytest

from portal.core import dates


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2025, 4, 1), 2025),
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 1, 15), 2025),
    ],
)
def test_fiscal_year_of(day, fy):
    assert dates.fiscal_year_of(day) == fy


def test_reiwa_7_is_april_2025_to_march_2026():
    assert dates.fiscal_year_label(2025) == "令和7年度"
    assert dates.fiscal_year_range(2025) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert dates.fiscal_year_label(2025, language="en") == "FY2025 (Reiwa 7)"


def test_first_year_of_an_era_is_gan():
    assert dates.fiscal_year_label(2019) == "令和元年度"
    assert dates.wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert dates.wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert dates.fiscal_year_label(2018) == "平成30年度"


def test_wareki_of_aware_datetime_uses_tokyo_time():
    utc_evening = dt.datetime(2025, 3, 31, 16, 0, tzinfo=dt.UTC)  # 2025-04-01 01:00 in Tokyo
    assert dates.wareki(utc_evening) == "令和7年4月1日"
    assert dates.fiscal_year_of(utc_evening) == 2025


def test_business_days_skip_weekends_holidays_and_year_end():
    # 2026-04-29 (Wed) 昭和の日; Golden Week 2026: 5/3 Sun, 5/4 Mon, 5/5 Tue, 5/6 Wed (振替休日)
    assert not dates.is_business_day(dt.date(2026, 4, 29))
    assert dates.add_business_days(dt.date(2026, 5, 1), 1) == dt.date(2026, 5, 7)
    assert not dates.is_business_day(dt.date(2026, 12, 29))
    assert dates.add_business_days(dt.date(2026, 12, 28), 1) == dt.date(2027, 1, 4)


def test_business_days_backwards_and_between():
    assert dates.add_business_days(dt.date(2026, 5, 7), -1) == dt.date(2026, 5, 1)
    assert dates.business_days_between(dt.date(2026, 5, 1), dt.date(2026, 5, 8)) == 2
    assert dates.business_days_between(dt.date(2026, 5, 8), dt.date(2026, 5, 1)) == 0


# --- the one template filter for dates on screens ------------------------------------------


def _render(source, **context):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override(context.pop("language", "ja")):
        return Template("{% load portal %}" + source).render(Context(context))


def test_wareki_filter_shows_a_date_with_its_weekday():
    assert _render("{{ d|wareki }}", d=dt.date(2026, 12, 4)) == "令和8年12月4日（金）"


def test_wareki_filter_shows_a_datetime_in_tokyo_time_with_weekday_and_clock():
    utc = dt.datetime(2026, 12, 4, 5, 15, tzinfo=dt.UTC)  # 14:15 in Tokyo
    assert _render("{{ t|wareki }}", t=utc) == "令和8年12月4日（金）14:15"
    assert _render("{{ t|wareki:'date' }}", t=utc) == "令和8年12月4日（金）"
    assert _render("{{ t|wareki:'time' }}", t=utc) == "14:15"


def test_wareki_filter_crosses_midnight_in_tokyo_not_utc():
    utc_evening = dt.datetime(2026, 11, 30, 20, 45, tzinfo=dt.UTC)  # 12月1日 05:45 in Tokyo
    assert _render("{{ t|wareki }}", t=utc_evening) == "令和8年12月1日（火）05:45"


def test_wareki_filter_reads_iso_text_and_never_shows_iso():
    assert _render("{{ s|wareki }}", s="2026-12-04") == "令和8年12月4日（金）"
    assert _render("{{ s|wareki }}", s="") == ""
    assert _render("{{ s|wareki }}", s="未定") == "未定"


def test_wareki_filter_in_english_is_not_iso_either():
    out = _render("{{ d|wareki }}", d=dt.date(2026, 12, 4), language="en")
    assert out == "Fri 4 Dec 2026"


def test_fiscal_year_filter_labels_a_year():
    assert _render("{{ y|fiscal_year }}", y=2026) == "令和8年度"
    assert _render("{{ y|fiscal_year }}", y="2026") == "令和8年度"


def test_wareki_filter_leaves_text_that_only_looks_like_digits():
    assert _render("{{ s|wareki }}", s="20261204") == "20261204"
    assert _render("{{ s|wareki }}", s="03-1234-5678") == "03-1234-5678"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年12月4日", dt.date(2026, 12, 4)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        # the wall-clock time the text gives, naive as parse_wareki returns it
        ("令和8年12月4日（金）14:15", dt.datetime(2026, 12, 4, 14, 15)),  # noqa: DTZ001
        ("令和8年2月30日", None),
        ("令和1年4月30日", None),  # before 令和 began
        ("令和8年12月4日に開催", None),
        ("12月4日", None),
    ],
)
def test_parse_wareki_reads_only_a_whole_japanese_date(text, expected):
    assert dates.parse_wareki(text) == expected


def test_wareki_filter_adds_the_weekday_to_wareki_text():
    """Documents get dates formatted in Python (``dates.wareki``); on the page they carry the weekday."""
    assert _render("{{ d|wareki }}", d=dates.wareki(dt.date(2026, 12, 4))) == "令和8年12月4日（金）"
    assert _render("{{ d|wareki }}", d="令和8年12月4日（金）14:15") == "令和8年12月4日（金）14:15"
    assert _render("{{ d|wareki }}", d="担当者に確認") == "担当者に確認"


def _pdf(template, **context):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ja"):
        return render_to_string(template, context)


def test_pdf_documents_show_their_dates_with_the_weekday():
    """As the views hand them over: dates already formatted by ``dates.wareki`` (no weekday)."""
    from types import SimpleNamespace

    friday = dates.wareki(dt.date(2026, 12, 4))
    case = SimpleNamespace(reference="R8-0001", question="…")
    advice = SimpleNamespace(summary="…", medical="", psychology="", legal="", welfare="")
    recipient = SimpleNamespace(name="甲市")

    advice_pdf = _pdf(
        "casereviews/pdf/advice.html",
        case=case,
        advice=advice,
        recipient=recipient,
        recipient_name=recipient.name,
        hidden_name="",
        issued=friday,
        generated=friday,
    )
    directory_pdf = _pdf("windows/pdf/directory.html", groups=[], generated=friday)

    assert "発行日：令和8年12月4日（金）　作成日：令和8年12月4日（金）" in advice_pdf
    assert "作成日：令和8年12月4日（金）" in directory_pdf


# Certificates keep the formal date of a certificate (令和8年12月4日, no weekday): see STYLE.md.
FORMAL_DOCUMENTS = {"training/pdf/certificate.html", "meetings/pdf/certificate.html"}


def test_pdf_templates_show_dates_through_the_wareki_filter():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR, "templates")
    date_variable = re.compile(
        r"{{\s*([\w.]*(?:issued|generated|completed|(?<!per_)day|date|_at)\b[\w.]*)\s*}}"
    )
    bare = {
        str(path.relative_to(root)): date_variable.findall(path.read_text("utf-8"))
        for path in sorted(root.glob("**/pdf/*.html"))
        if str(path.relative_to(root)) not in FORMAL_DOCUMENTS
    }

    assert {name: found for name, found in bare.items() if found} == {}


def test_iso_filter_gives_html_valid_datetimes_without_microseconds():
    moment = dt.datetime(2026, 12, 4, 5, 15, 7, 123456, tzinfo=dt.UTC)

    assert _render("{{ m|iso }}", m=moment) == "2026-12-04T14:15:07+09:00"
    assert _render("{{ d|iso }}", d=dt.date(2026, 12, 4)) == "2026-12-04"


def test_no_template_writes_a_datetime_attribute_with_microseconds():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "date:'c'" in path.read_text(encoding="utf-8") or 'date:"c"' in path.read_text(encoding="utf-8")
    ]
    assert offenders == [], "use {{ value|iso }} in <time datetime>: date:'c' keeps microseconds"
