"""The hearing-sheet flow in Chromium: fill at phone width → submit (confirmed on its own page) →
returned → resubmit → exchange scheduled."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.core.dates import add_business_days
from portal.municipalities.demo import seed_demo as seed_municipalities
from portal.municipalities.models import ExchangeSession, HearingSheet

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, email, totp=False):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if totp:
        code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
        page.get_by_label("コード").fill(code)
        page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


@pytest.fixture
def two_people(browser):
    phone = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    contexts = [phone, browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})]
    yield [c.new_page() for c in contexts]
    for c in contexts:
        c.close()


def test_hearing_sheet_flow(two_people, live_server):
    seed_demo()
    seed_municipalities()
    base = live_server.url
    staff, coordinator = two_people

    # 文京区 fills in its draft and submits
    sign_in(staff, base, "bunkyo@example.jp")
    staff.get_by_role("link", name="事前ヒアリングシート — 下書き").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("事前ヒアリングシート")
    assert_accessible(staff)
    staff.get_by_role("checkbox", name="社会福祉協議会").check()
    staff.get_by_role("checkbox", name="家族会", exact=True).check()
    staff.get_by_label("延べ相談件数").fill("２４０")
    staff.get_by_label("第1希望日").fill(add_business_days(timezone.localdate(), 10).isoformat())
    staff.get_by_role("button", name="サポートネットに提出する").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("事前ヒアリングシートを提出しますか？")
    assert_accessible(staff)
    staff.get_by_role("button", name="提出して内容を確定する").click()
    expect(staff.get_by_role("status").first).to_contain_text("提出しました")
    assert_accessible(staff)

    # the coordinator returns it with a comment
    sheet = HearingSheet.objects.get(organization__name="文京区", status="submitted")
    sign_in(coordinator, base, "coordinator@example.jp", totp=True)
    coordinator.goto(f"{base}/sheets/{sheet.pk}/")
    expect(coordinator.get_by_text("240")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_label("修正をお願いしたい点").fill("新規相談件数も記入してください。")
    coordinator.get_by_role("button", name="区市町村に差し戻す").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("差し戻しました")

    # the municipality sees the comment, completes and resubmits
    staff.goto(f"{base}/sheets/{sheet.pk}/edit/")
    expect(staff.get_by_text("新規相談件数も記入してください。")).to_be_visible()
    staff.get_by_label("うち新規相談件数").fill("41")
    staff.get_by_role("button", name="サポートネットに提出する").click()
    staff.get_by_role("button", name="提出して内容を確定する").click()
    expect(staff.get_by_role("status").first).to_contain_text("提出しました")

    # the coordinator schedules the online exchange
    coordinator.goto(f"{base}/sheets/{sheet.pk}/")
    coordinator.get_by_role("link", name="交流会を設定する").click()
    assert_accessible(coordinator)
    coordinator.get_by_label("日付").fill(add_business_days(timezone.localdate(), 12).isoformat())
    coordinator.get_by_label("開始時刻").fill("14:00")
    coordinator.get_by_label("終了時刻").fill("15:30")
    coordinator.get_by_label("会議URL").fill("https://meet.example.jp/bunkyo")
    coordinator.get_by_role("button", name="設定して案内を送る").click()
    expect(coordinator.get_by_role("heading", level=1)).to_contain_text("交流会")
    assert_accessible(coordinator)
    session = ExchangeSession.objects.get(organization__name="文京区")
    assert session.participants.filter(email="bunkyo@example.jp").exists()
    assert [r.number for r in HearingSheet.objects.get(pk=sheet.pk).revisions.all()] == [1, 2]
