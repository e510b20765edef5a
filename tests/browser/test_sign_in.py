"""Sign-in in real Chromium, with axe-core on every page on the way."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    seed_demo()
    return live_server.url


@pytest.fixture
def csp_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def sign_in(page, base, email):
    page.goto(base + "/")  # the public entrance; signing in starts from its link
    page.get_by_role("main").get_by_role("link", name="ログイン").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}/accounts/login/")))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def test_municipal_admin_signs_in_and_sees_dashboard(page, demo, csp_errors):
    page.goto(demo + "/accounts/login/")
    assert_accessible(page)

    sign_in(page, demo, "hachioji@example.jp")

    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")
    expect(page.get_by_role("heading", name="八王子市", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="所属団体").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("八王子市")
    assert_accessible(page)
    page.get_by_role("link", name="同僚を招待する").or_(
        page.get_by_role("link", name="招待する")
    ).first.click()
    page.get_by_label("メールアドレス").fill("not-an-email")
    page.get_by_label("氏名・名称").fill("新人 職員")
    page.get_by_role("button", name="招待を送る").click()
    expect(page.get_by_label("氏名・名称")).to_have_value("新人 職員")
    assert_accessible(page)
    assert csp_errors == []


def test_wrong_password_shows_a_japanese_message(page, demo):
    page.goto(demo + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("bunkyo@example.jp")
    page.get_by_label("パスワード").fill("wrong-password")
    page.get_by_role("button", name="ログイン").click()

    expect(page.get_by_role("alert")).to_contain_text("パスワードが正しくありません")
    expect(page.get_by_label("メールアドレス")).to_have_value("bunkyo@example.jp")
    assert_accessible(page)


def test_coordinator_signs_in_with_totp(page, demo, csp_errors):
    sign_in(page, demo, "coordinator@example.jp")

    expect(page).to_have_url(f"{demo}/accounts/2fa/authenticate/")
    assert_accessible(page)
    code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
    page.get_by_label("コード").fill(code)
    page.get_by_role("button", name="サインイン").or_(
        page.get_by_role("button", name="ログイン")
    ).first.click()

    expect(page.get_by_role("heading", name="事務局：対応が必要なこと")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="団体").click()
    expect(page.get_by_role("table")).to_contain_text("八王子市")
    assert_accessible(page)
    assert csp_errors == []


def test_language_switch_to_english(page, demo):
    page.goto(demo + "/accounts/login/")
    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)


def test_invited_colleague_creates_account_and_signs_in(page, demo):
    import re

    from django.core import mail

    sign_in(page, demo, "bunkyo@example.jp")
    page.get_by_role("link", name="同僚を招待する").click()
    page.get_by_label("メールアドレス").fill("new.staff@example.jp")
    page.get_by_label("氏名・名称").fill("文京 新人")
    page.get_by_role("button", name="招待を送る").click()
    expect(page.get_by_role("status")).to_contain_text("new.staff@example.jp に招待を送りました")
    link = re.search(r"https?://\S+/invitations/accept/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="ログアウト").click()

    page.goto(demo + link[link.index("/invitations/") :])
    assert_accessible(page)
    page.get_by_label("お名前").fill("文京 新人")
    page.get_by_label("パスワード", exact=False).first.fill("a-long-passphrase-1")
    page.get_by_label("パスワード（確認）").fill("a-long-passphrase-1")
    page.get_by_role("button", name="アカウントを作成して参加する").click()
    expect(page.get_by_role("status")).to_contain_text("アカウントを作成しました")
    page.get_by_label("メールアドレス").fill("new.staff@example.jp")
    page.get_by_label("パスワード").fill("a-long-passphrase-1")
    page.get_by_role("button", name="ログイン").click()

    expect(page.get_by_role("heading", name="文京区", exact=True)).to_be_visible()
