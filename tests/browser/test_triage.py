"""The coordinator triages a submitted case on a phone (390×844): each answer is its own labelled
form, meetings show their date with weekday and free places, and a refused answer keeps what was
typed with the error summary focused; axe-core on each page."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.casereviews.models import Case

from .axe import assert_accessible
from .test_hearing_sheet import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_triages_a_case_on_a_phone(page, live_server):
    from portal.casereviews.demo import seed_demo as seed_cases

    seed_demo()
    seed_cases()
    case = Case.objects.get(status="submitted", organization__name="文京区")
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "coordinator@example.jp", totp=True)

    page.goto(f"{base}/cases/{case.pk}/")
    for heading in ("追加情報の依頼", "会議で検討", "随時のコンサルテーション", "対象外"):
        expect(page.get_by_role("heading", level=3, name=heading)).to_be_visible()
    dated = re.compile(r"（[月火水木金土日]）\d+:\d+ .*（空き\d+件）")
    accept = page.get_by_role("region", name="会議で検討")
    expect(accept.get_by_role("radio", name=dated).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    adhoc = page.get_by_role("region", name="随時のコンサルテーション")
    adhoc.get_by_label("コメント").fill("医療面を中心に見てください")
    adhoc.get_by_role("button", name="この専門家に随時のコンサルテーションを依頼する").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_contain_text("専門家")
    expect(adhoc.get_by_label("コメント")).to_have_value("医療面を中心に見てください")
    assert Case.objects.get(pk=case.pk).status == "submitted"
    assert_accessible(page)

    accept.get_by_role("radio", name=dated).first.check()
    accept.get_by_role("button", name="ケース検討会議で検討する").click()
    expect(page.get_by_role("status").first).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == "scheduled"
