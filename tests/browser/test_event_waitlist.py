"""register → waiting list → a seat frees up → the offer is accepted, in Chromium."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import User
from portal.meetings import services
from portal.meetings.models import Registration

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_waitlist_and_promotion(page, live_server):
    seed_demo()
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = User.objects.get(email="hachioji@example.jp")
    now = timezone.now()
    event = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="小さな支援者交流会",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=2),
        venue="会議室",
        online_url="",
        audience=["municipality"],
        capacity=1,
        per_organization=2,
        registration_deadline=now + dt.timedelta(days=5),
        description="",
    )
    first = services.register(actor=hachioji, event=event)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("bunkyo@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="交流会・相談会").click()
    page.get_by_role("link", name="小さな支援者交流会").click()
    assert_accessible(page)
    expect(page.get_by_role("radio", name="オンライン")).to_have_count(0)  # no online places: the venue only
    page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_role("status").first).to_contain_text("キャンセル待ち")
    assert_accessible(page)

    services.cancel(actor=hachioji, registration=first)  # a seat frees up: offered to bunkyo

    page.reload()
    expect(page.get_by_text("繰上げのご案内中").first).to_be_visible()
    page.get_by_role("button", name="参加を確定する").click()
    expect(page.get_by_role("status").first).to_contain_text("参加が確定しました")
    mine = Registration.objects.get(event=event, user__email="bunkyo@example.jp")
    assert mine.status == "confirmed" and mine.mode == "venue"
