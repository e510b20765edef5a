"""A municipality submits a case in Chromium at phone width: the personal-data guard finds and
highlights, the person edits one passage, confirms another, and submits. An expert reads the
advice they wrote after it was issued and downloads its PDF."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.casereviews.models import Case, PersonalDataConfirmation

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_case_through_the_guard(page, live_server):
    seed_demo()
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("hachioji@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if page.get_by_role("button", name="メニュー").is_visible():
        page.get_by_role("button", name="メニュー").click()
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="多職種専門チーム").click()
    page.get_by_role("link", name="新しいケースを提出する").first.click()
    assert_accessible(page)

    page.get_by_label("仮名またはイニシャル").fill("Aさん")
    page.get_by_label("生活歴・経過").fill(
        "山田太郎さんの母（70代）から、090-1234-5678で相談があった。ひきこもり歴12年。"
    )
    page.get_by_label("困っていること").fill("本人と会えない。")
    page.get_by_label("専門チームへの質問").fill("最初の接点の作り方について。")
    page.get_by_role("checkbox", name="医療").check()
    page.get_by_role("radio", name="家族から得ている").check()
    page.get_by_role("button", name="確認して提出する").click()

    guard = page.get_by_role("region", name="個人情報の可能性がある記載")
    expect(guard).to_be_visible()
    expect(guard.locator("mark")).to_have_count(2)
    assert_accessible(page)

    # edit the phone number away, keep (and confirm) the name
    page.get_by_label("生活歴・経過").fill(
        "山田太郎さんの母（70代）から電話で相談があった。ひきこもり歴12年。"
    )
    page.get_by_role("button", name="確認して提出する").click()
    expect(guard.locator("mark")).to_have_count(1)
    guard.get_by_role("checkbox").check()
    page.get_by_role("button", name="確認して提出する").click()

    expect(page.get_by_role("status").first).to_contain_text("提出しました")
    case = Case.objects.get(status="submitted", pseudonym="Aさん")
    assert "090" not in case.history
    assert PersonalDataConfirmation.objects.get(case=case).kind == "name"
    assert_accessible(page)


def test_expert_reads_the_issued_advice_and_downloads_its_pdf(page, live_server):
    from portal.casereviews.demo import seed_demo as seed_cases

    from .test_hearing_sheet import sign_in

    seed_demo()
    seed_cases()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "psychiatrist@example.jp", totp=True)

    written = page.get_by_role("region", name="多職種専門チーム")
    expect(written.get_by_text("あなたが記載した助言")).to_be_visible()
    advised = Case.objects.get(status="advised", organization__name="八王子市")
    written.get_by_role("link", name=advised.reference, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("このケースの閲覧期間は終了しました")
    expect(page.get_by_text("かかりつけ医経由での受診を検討")).to_be_visible()
    assert advised.history not in page.content()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == f"advice-{advised.reference}.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
