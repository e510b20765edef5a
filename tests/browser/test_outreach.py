"""巡回相談: a municipality books a slot for a resident; 訪問相談: it refers a resident. Chromium, axe."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.outreach.demo import seed_demo as seed_outreach
from portal.outreach.models import SlotBooking, VisitReferral

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_municipality_books_a_slot_and_refers_a_resident(browser, live_server, viewport):
    seed_demo()
    seed_outreach()
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "bunkyo@example.jp")

    page.goto(base + "/outreach/")
    expect(page.get_by_role("heading", level=1)).to_have_text("巡回相談")
    assert_accessible(page)
    page.get_by_role("link", name="八王子市").click()
    assert_accessible(page)
    page.get_by_role("link", name="住民の相談枠を予約する").first.click()
    assert_accessible(page)
    page.get_by_label("イニシャルまたは呼び名").fill("Mさん")
    page.get_by_label("親", exact=True).check()
    page.get_by_label("ご本人の年代").select_option("30s")
    page.get_by_label("区市町村からの連絡方法").fill("区の窓口から連絡")
    page.get_by_label("相談したい内容").fill("兄のことで、家族としての関わり方を相談したい。")
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name="予約する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("予約")
    assert_accessible(page)
    assert SlotBooking.objects.filter(initial="Mさん", status="confirmed").exists()

    page.goto(base + "/visits/new/")
    assert_accessible(page)
    page.get_by_label("仮名またはイニシャル").fill("Eさん")
    page.get_by_label("年齢").fill("14")
    page.get_by_label("義務教育を修了している").check()
    page.get_by_label("都内在住").check()
    page.get_by_label("ひきこもりの期間（月数）").fill("12")
    page.get_by_label("世帯の状況").fill("母と二人暮らし。")
    page.get_by_label("本人", exact=True).check()
    page.get_by_label("電話").check()
    page.get_by_label("同意した日").fill("2026-01-05")
    page.get_by_label("事前面接の希望日時").fill("平日の午後")
    page.get_by_role("button", name="確認して送る").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("15歳以上")
    assert_accessible(page)
    assert page.get_by_label("世帯の状況").input_value() == "母と二人暮らし。"  # nothing typed is lost
    page.get_by_label("年齢").fill("17")
    page.get_by_role("button", name="確認して送る").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("訪問相談の申込み")
    assert_accessible(page)
    assert VisitReferral.objects.filter(pseudonym="Eさん").exists()
    context.close()
