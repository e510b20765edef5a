"""A coordinator writes to the confirmed registrants of an exchange meeting in Chromium: a refused
placeholder keeps the text, the confirmation page shows one letter and the exact count, the send
shows its progress and the record lists each person. axe-core on every page, 1280 px and 390×844."""

import datetime as dt
import time
from collections import Counter

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import User
from portal.core.models import OutboundEmail
from portal.mailings.models import Mailing
from portal.meetings import services

from .axe import assert_accessible
from .test_screen_conventions import DESKTOP, PHONE, check_page

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("コード").fill(
        format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
    )
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def test_coordinator_writes_to_confirmed_registrants(page, live_server):
    seed_demo()
    coordinator = User.objects.get(email="coordinator@example.jp")
    now = timezone.now()
    event = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="お知らせ確認用の支援者交流会",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=2),
        venue="都庁第一本庁舎 会議室",
        online_url="",
        audience=["municipality"],
        capacity=2,
        per_organization=2,
        registration_deadline=now + dt.timedelta(days=5),
        description="",
    )
    for email in ("hachioji@example.jp", "bunkyo@example.jp"):
        services.register(actor=User.objects.get(email=email), event=event)
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, "coordinator@example.jp")

    page.goto(f"{base}/events/{event.pk}/")
    page.get_by_role("link", name="お知らせを送る").click()
    assert_accessible(page)
    page.get_by_role("radio", name="参加確定の方").check()
    page.get_by_label("件名").fill("【ご案内】{日時} 交流会の資料")
    page.get_by_label("本文").fill("{氏名}様\n{会場}でお待ちしています。{住所}")
    page.get_by_role("button", name="送信前の確認へ進む").click()
    expect(page.locator(".error-summary")).to_contain_text("「{住所}」")
    expect(page.get_by_label("本文")).to_have_value("{氏名}様\n{会場}でお待ちしています。{住所}")
    assert_accessible(page)

    page.get_by_label("本文").fill("{氏名}様\n{会場}でお待ちしています。\n{リンク}")
    page.get_by_role("button", name="送信前の確認へ進む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("送信前の確認")
    expect(page.locator("main")).to_contain_text("このお知らせは2人に送られます。")
    expect(page.locator("[data-letter-preview]")).to_contain_text("都庁第一本庁舎 会議室でお待ちしています。")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="2人に送信する").click()
    expect(page.locator(".job-progress [role=status]")).to_contain_text("送信済み")
    expect(page.locator("[data-job=done]")).to_have_text("2")
    expect(page.locator("main table")).to_contain_text("八王子市")
    expect(page.locator("main table")).to_contain_text("文京区")
    assert_accessible(page)

    mailing = Mailing.objects.get(source_id=event.pk)
    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == mailing.total == 2

    page.get_by_role("link", name="お知らせの送信").first.click()
    expect(page.locator("main")).to_contain_text("【ご案内】{日時} 交流会の資料")
    assert_accessible(page)

    # Screen conventions (dates, words, widths, targets, axe) on the new pages at both widths.
    tally, problems = Counter(), []
    for path in ("/mailings/", f"/mailings/{mailing.pk}/", f"/mailings/new/event/{event.pk}/"):
        for viewport in (PHONE, DESKTOP):
            check_page(page, base + path, viewport, tally, problems)
    assert problems == [], "\n".join(problems)
