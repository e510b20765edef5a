from axe_playwright_python.sync_playwright import Axe

from . import html_check

_axe = Axe()


def assert_accessible(page):
    """axe-core on the current page: zero violations (WCAG 2.x A/AA and best practices). The page
    is also kept for the Nu Html Checker, which reads every page of the test at its end."""
    html_check.collect(page)
    results = _axe.run(page)
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert violations == [], f"{page.url}: " + "\n".join(report)
