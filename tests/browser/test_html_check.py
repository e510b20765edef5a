"""The Nu Html Checker finds what the outside validators found (microseconds in <time datetime>, a
<form> inside a <p>), so the screen walk's validation can be trusted."""

import pytest

from . import html_check


def test_the_checker_reports_invalid_pages_and_passes_valid_ones():
    if html_check.checker() is None:
        pytest.skip(
            "vnu.jar or Java not installed (npm install vnu-jar; apt-get install default-jre-headless)"
        )
    bad = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head><body>'
        '<p><time datetime="2026-12-04T14:15:07.123456+09:00">x</time></p><p><form></form></p></body></html>'
    )
    good = bad.replace(".123456", "").replace("<p><form></form></p>", "<form></form>")

    problems = html_check.errors_of([("/bad/", bad), ("/good/", good)])

    assert problems and all(p.startswith("/bad/") for p in problems), problems
    assert any("datetime" in p for p in problems)
