"""The Nu Html Checker (vnu.jar) over every page the browser walk opens.

``assert_accessible(page)`` (tests/browser/axe.py) hands each page's HTML to ``collect``; after the
test, one run of the checker reads them all (a Java start per page would cost seconds each) and the
test fails with every error found, page by page.

The checker is the npm package ``vnu-jar`` (Java: Debian's ``default-jre-headless``). It is found at
``$VNU_JAR``, or in ``node_modules/vnu-jar/build/dist/vnu.jar`` of the repository; without it (or
without Java) pages are not validated, unless ``VNU_REQUIRED=1`` (CI) makes that an error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_pages: list[tuple[str, str]] = []


def checker() -> str | None:
    jar = os.environ.get("VNU_JAR") or str(REPO / "node_modules/vnu-jar/build/dist/vnu.jar")
    if Path(jar).is_file() and shutil.which("java"):
        return jar
    if os.environ.get("VNU_REQUIRED"):
        raise RuntimeError(f"the Nu Html Checker is required: no vnu.jar at {jar} or no java")
    return None


def collect(page) -> None:
    """Keep the page's HTML (the document as the browser holds it) for the checker."""
    if checker():
        _pages.append((page.url, page.content()))


def errors_of(documents: list[tuple[str, str]]) -> list[str]:
    """The checker's errors for each (url, html), as lines naming the page."""
    jar = checker()
    if jar is None or not documents:
        return []
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for i, (url, html) in enumerate(documents):
            path = Path(folder, f"page{i:03d}.html")
            path.write_text(html, encoding="utf-8")
            names[path.as_uri().replace("file:///", "file:/")] = url
        result = subprocess.run(
            [
                "java",
                "-jar",
                jar,
                "--errors-only",
                "--format",
                "json",
                *sorted(str(p) for p in Path(folder).iterdir()),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{names.get(m.get('url', ''), m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
        if m.get("type") == "error"
    ]


def assert_collected_pages_valid() -> None:
    documents = list(_pages)
    _pages.clear()
    problems = errors_of(documents)
    assert problems == [], f"Nu Html Checker, {len(documents)} pages:\n" + "\n".join(problems[:60])
