"""メール相談 in Chromium with axe, at 1280 px and 390×844: a resident registers, receives a 利用者番号,
writes; a counsellor sees the due date and answers; the resident reads the reply and writes again."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.consultations.models import Resident, Thread

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-resident-password"


def sign_in_counsellor(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("counsellor@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
    page.get_by_label("コード").fill(code)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_resident_writes_counsellor_answers_resident_reads_and_writes_again(browser, live_server, viewport):
    seed_demo()
    base = live_server.url
    mail.outbox.clear()
    resident = browser.new_context(locale="ja-JP", viewport=viewport).new_page()

    resident.goto(base + "/consultation/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("メール相談")
    assert_accessible(resident)
    no_sideways_scroll(resident)
    resident.get_by_role("link", name="登録して相談する").click()
    assert_accessible(resident)
    resident.get_by_label("メールアドレス").fill("hikari@example.jp")
    resident.get_by_role("button", name="リンクを送る").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("メールをご確認ください")
    assert_accessible(resident)

    link = re.search(r"https?://\S+/consultation/register/\S+/", mail.outbox[-1].body).group(0)
    resident.goto(base + link[link.index("/consultation/") :])
    assert_accessible(resident)
    resident.get_by_role("button", name="登録する").click()  # nothing filled: errors, focus on the summary
    expect(resident.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(resident)
    resident.get_by_label("相談上の名前（ニックネーム）").fill("ひかり")
    resident.get_by_label("お住まいの都道府県").select_option("東京都")
    resident.get_by_label("年齢").select_option("20s")
    resident.get_by_label("ひきこもりの期間").select_option("u3y")
    resident.locator("#id_password1").fill(PASSWORD)
    resident.locator("#id_password2").fill(PASSWORD)
    resident.get_by_role("button", name="登録する").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("あなたの利用者番号")
    assert_accessible(resident)
    number = Resident.objects.get(email="hikari@example.jp").user_number
    shown = "-".join(number[i : i + 4] for i in range(0, 12, 4))
    expect(resident.locator(".user-number")).to_have_text(shown)

    resident.get_by_role("link", name="最初の相談を書く").click()
    assert_accessible(resident)
    resident.get_by_label("件名").fill("はじめまして")
    resident.get_by_label("自分のこと").check()
    resident.get_by_label("相談内容").fill("朝起きられない日が続いています。")
    resident.get_by_role("button", name="送信する").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("はじめまして")
    assert_accessible(resident)
    no_sideways_scroll(resident)
    thread = Thread.objects.get(resident__email="hikari@example.jp")

    staff = browser.new_context(locale="ja-JP", viewport=viewport).new_page()
    sign_in_counsellor(staff, base)
    staff.goto(base + "/counselling/")
    assert_accessible(staff)
    row = staff.get_by_role("row").filter(has_text=thread.reference)
    expect(row).to_contain_text("返信待ち")
    row.get_by_role("link", name=thread.reference).click()
    assert_accessible(staff)
    expect(staff.locator(".letter").first).to_contain_text("朝起きられない")
    staff.locator("#id_draft-body").fill("メールをありがとうございます。ゆっくりで大丈夫です。")
    staff.get_by_role("button", name="返信を送る").click()
    expect(staff.locator(".message--success")).to_contain_text("返信を送りました")
    assert_accessible(staff)
    assert "hikari@example.jp" in mail.outbox[-1].to
    assert "ゆっくり" not in mail.outbox[-1].body

    resident.goto(base + "/consultation/my/")
    expect(resident.get_by_role("link", name="はじめまして")).to_be_visible()
    expect(resident.get_by_text("お返事が届いています")).to_be_visible()
    assert_accessible(resident)
    resident.get_by_role("link", name="はじめまして").click()
    expect(resident.get_by_text("ゆっくりで大丈夫です。")).to_be_visible()
    resident.get_by_label("相談内容").fill("ありがとうございます。また書きます。")
    resident.get_by_role("button", name="送信する").click()
    expect(resident.locator(".message--success")).to_be_visible()
    thread.refresh_from_db()
    assert thread.status == "waiting" and thread.messages.count() == 3

    for path in ("/counselling/records/", "/counselling/statistics/", "/counselling/templates/"):
        staff.goto(base + path)
        assert_accessible(staff)
    staff.goto(base + f"/counselling/records/{thread.record.pk}/edit/")
    assert_accessible(staff)
