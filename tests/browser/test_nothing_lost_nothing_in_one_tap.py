"""At phone width: an autosave with one field not yet valid saves the rest and says so; cancelling a
talent-bank consultation and moving it go through a confirmation page; a form sent without its
security token lands on the portal's own Japanese page."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.municipalities.demo import seed_demo as seed_municipalities
from portal.municipalities.models import HearingSheet
from portal.partners.demo import seed_demo as seed_talent_bank
from portal.partners.models import Consultation

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def test_autosave_keeps_the_valid_answers_and_names_the_one_it_could_not_save(phone, live_server):
    seed_demo()
    seed_municipalities()
    sheet = HearingSheet.objects.get(organization__name="文京区", programme__fiscal_year__gte=2026)
    sign_in(phone, live_server.url, "bunkyo@example.jp")
    phone.goto(live_server.url + reverse("municipalities:sheet_edit", args=[sheet.pk]))

    phone.get_by_label("延べ相談件数").fill("たくさん")
    phone.get_by_label("担当部署").fill("福祉部 生活支援課")

    status = phone.locator("[data-autosave-status]")
    expect(status).to_contain_text("まだ保存されていません", timeout=15_000)
    expect(status).to_contain_text("延べ相談件数")
    assert_accessible(phone)
    phone.reload()
    expect(phone.get_by_label("担当部署")).to_have_value("福祉部 生活支援課")


def test_cancel_and_move_a_consultation_ask_first(phone, live_server):
    seed_demo()
    seed_talent_bank()
    consultation = Consultation.objects.filter(
        status=Consultation.Status.CONFIRMED, organization__name__contains="キズキ"
    ).first()
    sign_in(phone, live_server.url, "npo-a@example.jp")
    phone.goto(live_server.url + reverse("partners:consultation_detail", args=[consultation.pk]))

    phone.get_by_role("link", name="別の枠に変更する").click()
    phone.locator(".slot-list a").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("この日時に変更しますか？")
    assert_accessible(phone)
    phone.get_by_role("link", name="変更せずに戻る").click()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CONFIRMED

    phone.goto(live_server.url + reverse("partners:consultation_detail", args=[consultation.pk]))
    phone.get_by_role("link", name="相談を取り消す").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("この相談を取り消しますか？")
    assert_accessible(phone)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CONFIRMED, "showing the question changed nothing"
    phone.get_by_role("button", name="相談を取り消す").click()
    expect(phone.locator(".messages")).to_contain_text("取り消")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CANCELLED


def test_a_form_without_its_security_token_lands_on_a_japanese_page(phone, live_server):
    seed_demo()
    seed_talent_bank()
    consultation = Consultation.objects.filter(
        status=Consultation.Status.CONFIRMED, organization__name__contains="キズキ"
    ).first()
    sign_in(phone, live_server.url, "npo-a@example.jp")
    phone.goto(live_server.url + reverse("partners:consultation_cancel", args=[consultation.pk]))
    phone.context.clear_cookies(name="csrftoken")

    phone.get_by_role("button", name="相談を取り消す").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("フォームを送信できませんでした")
    assert "エラー：" in phone.title()
    assert_accessible(phone)
    phone.get_by_role("link", name="ページを開き直す").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("この相談を取り消しますか？")
