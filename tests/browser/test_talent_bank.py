"""Pick a slot → request → confirm, in Chromium."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.partners.demo import seed_demo as seed_talent_bank
from portal.partners.models import Consultation

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_people(browser):
    contexts = [browser.new_context(locale="ja-JP") for _ in range(2)]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


def sign_in(page, base, email, totp=False):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if totp:
        page.get_by_label("コード").fill(
            format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
        )
        page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def test_pick_slot_request_and_confirm(two_people, live_server):
    seed_demo()
    seed_talent_bank()
    base = live_server.url
    npo, coordinator = two_people

    sign_in(npo, base, "npo-a@example.jp")
    npo.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="専門職人材バンク").click()
    npo.get_by_role("link", name="相談を予約する").click()
    expect(npo.get_by_role("heading", level=1)).to_have_text("専門職人材バンク：空き枠")
    assert_accessible(npo)
    npo.locator(".slot-list button").first.click()
    expect(npo.get_by_role("status").first).to_contain_text("分間確保しています")
    npo.get_by_label("テーマ").fill("個人情報の取扱規程")
    npo.get_by_label("相談したい内容").fill("利用者の記録の保管期間と、家族からの開示請求への対応について。")
    assert_accessible(npo)
    npo.get_by_role("button", name="申し込む").click()
    expect(npo.get_by_role("status").first).to_contain_text("申込みを事務局に送りました")
    consultation = Consultation.objects.get(topic="個人情報の取扱規程")
    assert consultation.status == "requested" and consultation.reservation.status == "booked"

    sign_in(coordinator, base, "coordinator@example.jp", totp=True)
    coordinator.goto(f"{base}/talent-bank/requests/{consultation.pk}/")
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="確定する").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("相談を確定し")
    consultation.refresh_from_db()
    assert consultation.status == "confirmed"


DAY_HEADING = r"^令和\d+年\d+月\d+日（[月火水木金土日]）$"


def _fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scrolling"
    boxes = page.locator(".slot-list button, .week-nav a, #slot-filter select, #slot-filter button")
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (boxes.nth(i).inner_text(), box)


def test_week_picker_on_a_phone(browser, live_server):
    import re

    seed_demo()
    seed_talent_bank()
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "npo-a@example.jp")

    page.goto(base + "/talent-bank/slots/?field=legal")
    days = page.locator("main h2")
    expect(days.first).to_have_text(re.compile(DAY_HEADING))
    first_day = days.first.inner_text()
    _fits_a_phone(page)
    assert_accessible(page)

    page.get_by_role("link", name="次の週").click()
    expect(page).to_have_url(re.compile(r"week=\d{4}-\d{2}-\d{2}"))
    expect(page.get_by_role("link", name="前の週")).to_be_visible()
    if days.count():
        expect(days.first).to_have_text(re.compile(DAY_HEADING))
        assert days.first.inner_text() != first_day
    _fits_a_phone(page)
    page.get_by_role("link", name="前の週").click()
    expect(days.first).to_have_text(first_day)

    page.get_by_label("専門家").select_option(label=page.locator("#id_expert option").nth(1).inner_text())
    page.get_by_role("button", name="表示").click()
    expect(page).to_have_url(re.compile(r"expert=\d+"))
    _fits_a_phone(page)
    page.locator(".slot-list button").first.click()
    expect(page.get_by_role("status").first).to_contain_text("分間確保しています")
    context.close()
