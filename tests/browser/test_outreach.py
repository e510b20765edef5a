"""巡回相談 and 訪問相談 in Chromium with axe, at 1280 px and 390×844: a municipality books a slot and
refers a resident; the coordinator runs a host from plan to summary (with the host municipality
confirming) and a referral from triage to close."""

import datetime as dt
import io
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import Organization, User
from portal.core.dates import fiscal_year_of
from portal.outreach import services
from portal.outreach.demo import seed_demo as seed_outreach
from portal.outreach.models import OutreachHost, OutreachSlot, SlotBooking, VisitReferral

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


def sign_in_coordinator(page, base):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("coordinator@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
    page.get_by_label("コード").fill(code)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def _days_pass(host) -> None:
    """The consultation days take place: both move to the past (slots, times and dates alike)."""
    last = host.days.order_by("-date").first()
    back = dt.timedelta(days=(last.date - timezone.localdate()).days + 1)
    host.days.update(date=F("date") - back, starts_at=F("starts_at") - back, ends_at=F("ends_at") - back)
    OutreachSlot.objects.filter(day__host=host).update(
        starts_at=F("starts_at") - back, ends_at=F("ends_at") - back
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_coordinator_runs_a_touring_consultation_from_plan_to_summary(browser, live_server, viewport):
    seed_demo()
    base = live_server.url
    fy = fiscal_year_of() + 1
    coord_context = browser.new_context(locale="ja-JP", viewport=viewport)
    host_context = browser.new_context(locale="ja-JP", viewport=viewport)
    coord, host_page = coord_context.new_page(), host_context.new_page()
    sign_in_coordinator(coord, base)
    sign_in(host_page, base, "hachioji@example.jp")

    # plan: the coordinator adds the host municipality with its two days
    coord.goto(base + "/outreach/")
    coord.get_by_role("link", name="実施区市町村を追加する").click()
    assert_accessible(coord)
    coord.get_by_label("実施区市町村").select_option(label="八王子市")
    coord.get_by_label("1日目").fill(dt.date(fy, 6, 10).isoformat())
    coord.get_by_label("2日目").fill(dt.date(fy, 6, 17).isoformat())
    coord.get_by_role("button", name="追加する").click()
    expect(coord.get_by_role("heading", level=1)).to_contain_text("八王子市")
    assert_accessible(coord)
    host = OutreachHost.objects.get(plan__fiscal_year=fy, organization__name="八王子市")

    # host confirmation, as the host municipality
    host_page.goto(f"{base}/outreach/hosts/{host.pk}/")
    host_page.get_by_role("link", name="会場と日程を確認する").click()
    assert_accessible(host_page)
    host_page.get_by_label("会場", exact=True).fill("八王子市保健福祉センター")
    host_page.get_by_label("会場の所在地").fill("八王子市内（市の施設）")
    host_page.get_by_label("担当者", exact=True).fill("福祉部 相談担当")
    host_page.get_by_label("申込締切日").fill(dt.date(fy, 6, 3).isoformat())
    host_page.get_by_role("button", name="保存して合意する").click()
    expect(host_page.locator(".steps__current")).to_have_text("合意済み")
    assert_accessible(host_page)

    # publish, through its confirmation page
    coord.reload()
    coord.get_by_role("link", name="公開する").click()
    assert_accessible(coord)
    coord.get_by_role("button", name="公開する").click()
    expect(coord.locator(".steps__current")).to_have_text("公開済み")

    # the flyer
    flyer = coord.request.get(base + coord.get_by_role("link", name="チラシ（PDF）").get_attribute("href"))
    assert flyer.headers["content-type"] == "application/pdf" and flyer.body().startswith(b"%PDF")

    # staff booking for a resident
    host_page.goto(f"{base}/outreach/hosts/{host.pk}/")
    host_page.get_by_role("link", name="住民の相談枠を予約する").first.click()
    host_page.get_by_label("イニシャルまたは呼び名").fill("Tさん")
    host_page.get_by_label("親", exact=True).check()
    host_page.get_by_label("ご本人の年代").select_option("20s")
    host_page.get_by_label("区市町村からの連絡方法").fill("市の窓口から連絡")
    host_page.get_by_label("相談したい内容").fill("家族としての関わり方を相談したい。")
    host_page.locator("input[name=slot]").first.check()
    host_page.get_by_role("button", name="予約する").click()
    expect(host_page.get_by_role("heading", level=1)).to_contain_text("予約")
    booking = SlotBooking.objects.get(initial="Tさん", status="confirmed")

    # the days take place; the coordinator marks them held and records the slot
    _days_pass(host)
    coord.reload()
    coord.get_by_role("button", name="実施済みにする").click()
    expect(coord.locator(".steps__current")).to_have_text("実施済み")
    coord.get_by_role("link", name="八王子市：Tさん").click()
    assert_accessible(coord)
    coord.get_by_label("実施（他機関へつないだ）").check()
    coord.get_by_label("つなぎ先").fill("八王子市若者相談窓口")
    coord.get_by_role("button", name="記録を保存する").click()
    expect(coord.get_by_role("status").first).to_be_visible()
    booking.refresh_from_db()
    assert booking.outcome == "referred"
    coord.get_by_role("button", name="報告する（全枠記録済み）").click()
    expect(coord.locator(".steps__current")).to_have_text("報告済み")
    assert_accessible(coord)

    # the summary of the year
    summary = coord.request.get(f"{base}/outreach/summary.xlsx?fiscal_year={fy}")
    rows = list(load_workbook(io.BytesIO(summary.body())).active.values)
    assert rows[1][:7] == ("八王子市", 2, 12, 1, 1, 0, 1)
    coord_context.close()
    host_context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_coordinator_takes_a_referral_from_triage_to_close(browser, live_server, viewport):
    seed_demo()
    base = live_server.url
    member = User.objects.get(email="bunkyo@example.jp")
    referral = services.referral_submit(
        actor=member,
        organization=Organization.objects.get(kind="municipality", name="文京区"),
        data={
            "pseudonym": "Gさん",
            "age": 22,
            "compulsory_education_done": True,
            "lives_in_tokyo": True,
            "withdrawal_months": 18,
            "is_exception": False,
            "exception_reason": "",
            "household": "母と二人暮らし。",
            "tried": "",
            "consent_by": "person",
            "consent_how": "phone",
            "consent_on": timezone.localdate() - dt.timedelta(days=2),
            "preferred_times": "平日の午後",
        },
    )
    context = browser.new_context(locale="ja-JP", viewport=viewport)
    page = context.new_page()
    sign_in_coordinator(page, base)

    # triage
    page.goto(f"{base}/visits/")
    page.get_by_role("link", name=referral.reference).click()
    assert_accessible(page)
    page.get_by_label("受け付ける（事前面接を調整）").check()
    page.get_by_role("button", name="判断を記録する").click()
    expect(page.locator(".facts dd").first).to_have_text("受付済み（事前面接の調整中）")

    # 事前面接
    page.locator("#id_date").fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
    page.locator("#id_time").fill("14:00")
    page.get_by_label("面接場所").fill("文京区役所 相談室")
    page.get_by_role("button", name="事前面接を設定する").click()
    expect(page.get_by_role("link", name="カレンダーに追加（ICS）")).to_be_visible()
    assert_accessible(page)

    # the interview takes place; visits begin
    VisitReferral.objects.filter(pk=referral.pk).update(interview_at=timezone.now() - dt.timedelta(hours=2))
    page.reload()
    page.get_by_label("訪問を開始する").check()
    page.get_by_role("textbox", name="事前面接の結果").fill("本人と会えた。訪問を希望。")
    page.get_by_role("button", name="結果を記録する").click()
    assert_accessible(page)

    # a visit
    page.get_by_label("訪問日").fill(timezone.localdate().isoformat())
    page.locator("input[name=staff]").first.check()
    page.get_by_label("記録（要約）").fill("玄関先で母と話した。")
    page.get_by_role("button", name="訪問を記録する").click()
    expect(page.locator(".facts").first).to_contain_text("5回中1回")
    assert_accessible(page)

    # close, through its confirmation page
    page.get_by_role("link", name="申込みを終結する").click()
    assert_accessible(page)
    page.get_by_role("button", name="申込みを終結する").click()
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closed_at is not None
    assert_accessible(page)
    context.close()
