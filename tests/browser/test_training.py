"""Training in Chromium: register → cancel → the first person waiting is offered the seat and
accepts it; the certificate batch shows its progress. axe-core on every page."""

import datetime as dt
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import User
from portal.training import reference, services
from portal.training.models import Certificate, Completion, Course, Registration, Session

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base, email, totp=False):
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


def test_register_cancel_promotion(page, live_server, browser):
    seed_demo()
    reference.load(Course)  # the catalogue comes from a data migration, gone after a transactional flush
    coordinator = User.objects.get(email="coordinator@example.jp")
    course = Course.objects.get(fiscal_year=2025, code="supporters-family")
    start = timezone.now() + dt.timedelta(days=12)
    session = services.session_create(
        actor=coordinator,
        course=course,
        label="少人数回",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="都庁会議室",
        capacity=1,
        opens_at=timezone.now() - dt.timedelta(days=1),
        registration_deadline=services.default_deadline((start - dt.timedelta(days=5)).date()),
    )
    base = live_server.url

    # hachioji@ registers through the catalogue and gets the only seat
    _sign_in(page, base, "hachioji@example.jp")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="研修").click()
    page.get_by_label("年度").select_option("2025")
    page.get_by_role("button", name="表示").click()
    assert_accessible(page)
    page.get_by_role("link", name="(4) 家族への支援").click()
    assert_accessible(page)
    page.get_by_role("link", name="少人数回").click()
    page.get_by_role("button", name="申し込む", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("申し込みました")
    assert_accessible(page)

    # bunkyo@ finds the session full and waits
    other = browser.new_context(locale="ja-JP").new_page()
    _sign_in(other, base, "bunkyo@example.jp")
    other.goto(f"{base}/training/sessions/{session.pk}/")
    other.get_by_role("button", name="申し込む", exact=True).click()
    expect(other.get_by_role("status").first).to_contain_text("キャンセル待ち")
    assert_accessible(other)

    # hachioji@ cancels; bunkyo@ is offered the seat and accepts it
    page.get_by_role("link", name="申込みを取り消す").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("この申込みを取り消しますか？")
    assert_accessible(page)
    page.get_by_role("button", name="申込みを取り消す").click()
    expect(page.get_by_role("status").first).to_contain_text("取り消しました")
    other.reload()
    expect(other.locator("#my-status")).to_contain_text("繰上げ")
    other.get_by_role("button", name="参加を確定する").click()
    expect(other.get_by_role("status").first).to_contain_text("参加が確定しました")
    assert Registration.objects.get(session=session, user__email="bunkyo@example.jp").status == "confirmed"
    assert Registration.objects.get(session=session, user__email="hachioji@example.jp").status == "cancelled"

    # the session takes place; the coordinator records attendance, confirms issuing and watches
    # the certificate batch finish
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    coord = browser.new_context(locale="ja-JP").new_page()
    _sign_in(coord, base, "coordinator@example.jp", totp=True)
    coord.goto(f"{base}/training/sessions/{session.pk}/roster/")
    assert_accessible(coord)
    coord.locator("input[name=registrations]").first.check()
    coord.get_by_label("記録する内容").select_option("present")
    coord.get_by_role("button", name="記録する").click()
    expect(coord.get_by_role("status").first).to_contain_text("出欠を記録しました")
    coord.get_by_role("link", name="修了証を発行").click()
    expect(coord.get_by_role("main")).to_contain_text("取り消せません")
    assert_accessible(coord)
    coord.get_by_role("button", name="修了証を発行する").click()
    expect(coord.locator("[data-job=done]")).to_have_text("1", timeout=30000)
    expect(coord.locator("[data-job=label]")).to_have_text("完了", timeout=30000)
    assert_accessible(coord)


def test_certificates_are_refused_before_the_session_ends(page, live_server):
    seed_demo()
    reference.load(Course)
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = User.objects.get(email="hachioji@example.jp")
    course = Course.objects.get(fiscal_year=2025, code="supporters-family")
    start = timezone.now() + dt.timedelta(days=12)
    session = services.session_create(
        actor=coordinator,
        course=course,
        label="年末の回",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="都庁会議室",
        capacity=5,
        opens_at=timezone.now() - dt.timedelta(days=1),
        registration_deadline=services.default_deadline((start - dt.timedelta(days=5)).date()),
    )
    services.register(actor=hachioji, session=session)
    base = live_server.url
    _sign_in(page, base, "coordinator@example.jp", totp=True)

    # before the session: attendance cannot be recorded; the message says from when
    page.goto(f"{base}/training/sessions/{session.pk}/roster/")
    page.locator("input[name=registrations]").first.check()
    page.get_by_label("記録する内容").select_option("present")
    page.get_by_role("button", name="記録する").click()
    expect(page.locator("main")).to_contain_text("出欠は開催回が始まってから記録できます")
    assert_accessible(page)
    assert not Completion.objects.exists()

    # during the session, on a phone: attendance is recorded, but certificates wait for its end
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=30), ends_at=timezone.now() + dt.timedelta(minutes=90)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/training/sessions/{session.pk}/roster/")
    assert_accessible(page)
    # the roster's table scrolls inside its own box; the page itself does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("input[name=registrations]").first.check()
    page.get_by_label("記録する内容").select_option("present")
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_role("status").first).to_contain_text("出欠を記録しました")
    page.get_by_role("link", name="修了証を発行").click()
    expect(page.get_by_role("alert")).to_contain_text("修了証は開催回が終わってから発行できます")
    expect(page.get_by_role("button", name="修了証を発行する")).to_have_count(0)
    assert_accessible(page)
    assert not Certificate.objects.exists()
