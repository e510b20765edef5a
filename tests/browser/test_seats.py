"""Online places and scheduling in bulk, in Chromium: a coordinator schedules a series with a
public holiday skipped and creates a meeting with venue and online places; a registrant registers
online when the venue is full, switches mode, sees their waiting-list place and leaves it.
axe-core on each page, at 1280 px and at 390×844."""

import datetime as dt

import jpholiday
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import Organization, User
from portal.meetings import services
from portal.meetings.models import Event, Registration

from ..factories import MembershipFactory
from .axe import assert_accessible
from .test_training import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _holiday_ahead() -> dt.date:
    """The first public holiday at least three weeks ahead (so every registration deadline is too)."""
    day = timezone.localdate() + dt.timedelta(days=21)
    while not jpholiday.is_holiday(day):
        day += dt.timedelta(days=1)
    return day


def _page(browser, base, email, viewport, *, totp=False):
    page = browser.new_context(locale="ja-JP", viewport=viewport).new_page()
    _sign_in(page, base, email, totp=totp)
    return page


def test_coordinator_schedules_a_series_and_a_meeting_with_online_places(live_server, browser):
    seed_demo()
    base = live_server.url
    holiday = _holiday_ahead()
    page = _page(
        browser, base, "coordinator@example.jp", DESKTOP, totp=True
    )  # one sign-in: codes are single-use
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"{base}/events/")
        page.get_by_role("link", name="交流会をまとめて作成").click()
        assert_accessible(page)
        title = f"家族セミナー（{viewport['width']}）"
        page.locator("#id_kind").select_option("supporters")
        page.locator("#id_title").fill(title)
        page.get_by_role("checkbox", name="区市町村").check()
        page.get_by_role("radio", name="毎週（曜日を指定）").check()
        page.locator("#id_weekday").select_option(str(holiday.weekday()))
        page.locator("#id_first_date").fill((holiday - dt.timedelta(days=7)).isoformat())
        page.locator("#id_last_date").fill((holiday + dt.timedelta(days=7)).isoformat())
        page.locator("#id_start_time").fill("14:00")
        page.locator("#id_end_time").fill("16:00")
        page.locator("#id_venue").fill("都庁第一本庁舎 会議室")
        page.locator("#id_capacity").fill("15")
        page.get_by_role("checkbox", name="オンライン参加の定員を設けない").check()
        page.get_by_role("button", name="日程を確認する").click()

        plan = page.locator("#series-plan")
        expect(plan).to_contain_text(jpholiday.is_holiday_name(holiday))
        expect(plan).to_contain_text("作成しません")
        expect(plan.locator("tbody tr")).to_have_count(3)
        assert_accessible(page)
        assert not Event.objects.filter(title=title).exists(), "nothing is created before confirming"
        page.get_by_role("button", name="この日程で交流会を作成する").click()
        expect(page.get_by_role("status").first).to_contain_text("2件の交流会を作成しました")
        days = {timezone.localtime(e.starts_at).date() for e in Event.objects.filter(title=title)}
        assert days == {holiday - dt.timedelta(days=7), holiday + dt.timedelta(days=7)}
        assert_accessible(page)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/events/new/")
    start = timezone.localtime() + dt.timedelta(days=30)
    page.locator("#id_kind").select_option("supporters")
    page.locator("#id_title").fill("会場とオンラインの交流会")
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT14:00"))
    page.locator("#id_ends_at").fill(start.strftime("%Y-%m-%dT16:00"))
    page.locator("#id_venue").fill("都庁会議室")
    page.get_by_role("checkbox", name="区市町村").check()
    page.locator("#id_capacity").fill("15")
    page.locator("#id_online_capacity").fill("40")
    page.locator("#id_deadline_date").fill((start - dt.timedelta(days=7)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="作成").click()
    expect(page.locator("#seats")).to_contain_text("オンライン")
    assert_accessible(page)
    event = Event.objects.get(title="会場とオンラインの交流会")
    assert (event.capacity, event.online_capacity) == (15, 40)


def test_registrant_goes_online_switches_and_leaves_the_waiting_list(live_server, browser):
    seed_demo()
    base = live_server.url
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = User.objects.get(email="hachioji@example.jp")
    now = timezone.now()
    times = {
        "kind": "supporters",
        "starts_at": now + dt.timedelta(days=10),
        "ends_at": now + dt.timedelta(days=10, hours=2),
        "venue": "会議室",
        "online_url": "https://meet.example.jp/x",
        "audience": ["municipality"],
        "per_organization": 5,
        "registration_deadline": now + dt.timedelta(days=5),
        "description": "",
    }
    mixed = services.event_create(
        actor=coordinator, title="会場1席の交流会", capacity=1, online_capacity=2, **times
    )
    full = services.event_create(
        actor=coordinator, title="満席の交流会", capacity=1, online_capacity=0, **times
    )
    seated = services.register(actor=hachioji, event=mixed)
    services.register(actor=hachioji, event=full)
    hachioji_org = Organization.objects.get(name="八王子市")
    for _ in range(2):
        services.register(actor=MembershipFactory(organization=hachioji_org).user, event=full)

    for viewport in (PHONE, DESKTOP):
        page = _page(browser, base, "bunkyo@example.jp", viewport)
        page.goto(f"{base}/events/{mixed.pk}/")
        assert_accessible(page)
        if viewport is PHONE:
            page.get_by_role("radio", name="オンライン").check()
            page.get_by_role("button", name="申し込む").click()
            expect(page.locator("#my-status")).to_contain_text("オンライン")
            expect(page.locator("#my-status")).to_contain_text("確定")

            page.get_by_role("link", name="参加方法・配慮事項の変更、申込の取り下げ").click()
            assert_accessible(page)
            page.get_by_role("radio", name="会場").check()
            page.locator("#id_accessibility").fill("車椅子で参加します")
            page.get_by_role("button", name="変更を保存する").click()  # the venue is full
            expect(page.locator(".error-summary")).to_contain_text("空きがない")
            expect(page.locator("#id_accessibility")).to_have_value("車椅子で参加します")
            assert_accessible(page)

            services.cancel(actor=hachioji, registration=seated)  # the venue seat frees up
            page.get_by_role("button", name="変更を保存する").click()
            expect(page.locator("#my-status")).to_contain_text("会場")
            mine = Registration.objects.get(event=mixed, user__email="bunkyo@example.jp")
            assert (mine.mode, mine.status, mine.accessibility) == (
                "venue",
                "confirmed",
                "車椅子で参加します",
            )

            page.goto(f"{base}/events/{full.pk}/")
            page.get_by_role("button", name="申し込む").click()
            expect(page.locator("#my-status")).to_contain_text("キャンセル待ち3番目")
            assert_accessible(page)
            page.get_by_role("link", name="参加方法・配慮事項の変更、申込の取り下げ").click()
            page.get_by_role("link", name="キャンセル待ちを取り下げる").click()
            assert_accessible(page)
            page.get_by_role("button", name="キャンセル待ちを取り下げる").click()
            expect(page.get_by_role("status").first).to_contain_text("キャンセル待ちを取り下げました")
            assert Registration.objects.get(event=full, user__email="bunkyo@example.jp").status == "cancelled"
        else:
            expect(page.locator("#my-status")).to_contain_text("会場")
            page.goto(f"{base}/events/{full.pk}/")
            assert_accessible(page)
