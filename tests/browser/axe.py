from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page):
    """axe-core on the current page: zero violations (WCAG 2.x A/AA and best practices)."""
    results = _axe.run(page)
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert violations == [], f"{page.url}: " + "\n".join(report)
