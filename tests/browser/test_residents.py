"""A newcomer on a phone (390×844) and on a desktop (1280): from / to 相談方法 in one tap, then an
individual consultation and a family seminar applied for through the confirmation screen; the
coordinator confirms them and enters a phone application into the same day. axe on every page."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.residents.demo import seed_demo as seed_residents
from portal.residents.models import IndividualApplication, SeminarApplication

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_coordinator(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("coordinator@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
    page.get_by_label("コード").fill(code)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_newcomer_applies_and_coordinator_confirms(browser, live_server, viewport):
    seed_demo()
    seed_residents()
    IndividualApplication.objects.all().delete()
    SeminarApplication.objects.all().delete()
    base = live_server.url
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()

    page.goto(base + "/")
    assert_accessible(page)
    link = page.get_by_role("link", name="相談方法", exact=True).first
    box = link.bounding_box()
    assert box["y"] < 844 and box["height"] >= 24  # in the first screen of a phone, a real target
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("相談方法")
    expect(page.get_by_role("link", name="0120-529-528").first).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)

    page.get_by_role("link", name="個別相談に申し込む").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("個別相談に申し込む")
    assert_accessible(page)
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("お名前").fill("山田 花子")
    page.get_by_label("ふりがな").fill("やまだ はなこ")
    page.locator("#id_municipality").select_option("足立区")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("親", exact=True).check()
    page.locator("#id_subject_municipality").select_option("足立区")
    page.get_by_label("その方の年齢").fill("24")
    page.get_by_label("男性", exact=True).check()
    page.get_by_label("第1希望の日時").select_option(index=1)
    page.get_by_label("第2希望").select_option(index=2)
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.get_by_role("heading", name="入力内容をご確認ください")).to_be_visible()
    assert_accessible(page)
    assert not IndividualApplication.objects.exists()
    page.get_by_role("button", name="送信する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みありがとうございました")
    assert_accessible(page)
    application = IndividualApplication.objects.get(name="山田 花子")

    page.goto(base + "/consult/seminar/")
    assert_accessible(page)
    page.get_by_label("お名前").fill("山田 花子")
    page.get_by_label("ふりがな").fill("やまだ はなこ")
    page.locator("#id_municipality").select_option("足立区")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_label("オンライン", exact=True).check()
    page.locator("input[name=seminars]").nth(0).check()
    page.locator("input[name=seminars]").nth(1).check()
    page.get_by_role("button", name="入力内容を確認する").click()
    assert_accessible(page)
    page.get_by_role("button", name="送信する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みありがとうございました")
    seminar_application = SeminarApplication.objects.get(name="山田 花子")
    assert seminar_application.seats.filter(status="confirmed").count() == 2

    page.goto(base + "/consult/events/")
    assert_accessible(page)
    no_sideways_scroll(page)
    for path in ("/about/", "/for-you/", "/for-families/", "/consult/examples/", "/directory/", "/windows/"):
        page.goto(base + path)
        assert_accessible(page)
        no_sideways_scroll(page)

    staff = browser.new_context(locale="ja-JP", viewport=viewport).new_page()
    sign_in_coordinator(staff, base)
    staff.goto(base + "/residents/")
    assert_accessible(staff)
    staff.get_by_role("link", name=f"{application.reference}").first.click()
    assert_accessible(staff)
    staff.locator("#id_assign-slot").select_option(index=1)
    staff.get_by_role("button", name="この日時で確定する").click()
    expect(staff.locator(".messages")).to_contain_text("日時を確定しました")
    application.refresh_from_db()
    assert application.status == "confirmed"

    staff.goto(base + "/residents/phone/")
    assert_accessible(staff)
    staff.get_by_label("お名前").fill("電話 太郎")
    staff.get_by_label("ふりがな").fill("でんわ たろう")
    staff.locator("#id_municipality").select_option("八王子市")
    staff.get_by_label("電話番号").fill("042-000-0000")
    staff.get_by_label("本人", exact=True).check()
    staff.locator("#id_subject_municipality").select_option("八王子市")
    staff.get_by_label("第1希望の日時").select_option(str(application.slot_id))
    staff.get_by_label("受付方法").select_option("phone")
    staff.get_by_role("button", name="申込みを登録する").click()
    assert_accessible(staff)
    staff.locator("#id_assign-slot").select_option(str(application.slot_id))
    staff.locator("#id_assign-told_by_1").check()
    staff.get_by_role("button", name="この日時で確定する").click()
    expect(staff.locator(".messages")).to_contain_text("日時を確定しました")
    phone = IndividualApplication.objects.get(name="電話 太郎")
    assert phone.channel == "phone" and phone.slot_id == application.slot_id and phone.status == "confirmed"
    staff.goto(base + f"/residents/days/{application.slot.day_id}/")
    assert_accessible(staff)
    expect(staff.get_by_text("（2/2）")).to_be_visible()
