"""Guidebook and materials in Chromium: a coordinator writes a chapter in Markdown, publishes the
edition and watches the PDF build; the public reads it, searches it and downloads material.
axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import User
from portal.guidebook import services
from portal.guidebook.models import Build

from ..guidebook.conftest import pdf_upload
from .axe import assert_accessible
from .test_training import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_author_publish_read_download(page, live_server, browser):
    seed_demo()
    coordinator = User.objects.get(email="coordinator@example.jp")
    edition = services.edition_create(actor=coordinator, fiscal_year=2025, title="ひきこもり支援ガイドブック")
    services.material_create(
        actor=coordinator,
        upload=pdf_upload("leaflet.pdf"),
        title="相談案内リーフレット",
        category="leaflet",
        fiscal_year=2025,
        audience="public",
    )
    services.material_create(
        actor=coordinator,
        upload=pdf_upload("booklet.pdf"),
        title="会員向け冊子",
        category="booklet",
        fiscal_year=2025,
        audience="members",
    )
    base = live_server.url

    _sign_in(page, base, "coordinator@example.jp", totp=True)
    page.goto(f"{base}/guidebook/{edition.pk}/")
    assert_accessible(page)
    page.get_by_label("章番号").fill("2")
    page.get_by_label("章題").fill("ひきこもりの定義")
    page.get_by_role("button", name="章を追加する").click()
    page.get_by_label("新しい節").fill("定義")
    page.locator("form.inline-form").filter(has=page.get_by_label("新しい節")).get_by_role("button").click()
    page.get_by_label("本文（Markdown）").fill(
        "6か月以上にわたって概ね家庭にとどまり続けている状態を指します。\n\n"
        "| 区分 | 内容 |\n|---|---|\n| 相談 | 区市町村 |\n\n<script>alert(1)</script>"
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status").first).to_contain_text("保存しました")
    expect(page.locator(".guide-preview table")).to_be_visible()
    expect(page.locator(".guide-preview script")).to_have_count(0)
    assert_accessible(page)
    page.goto(f"{base}/guidebook/{edition.pk}/")
    page.get_by_role("link", name="この版を公開").click()
    expect(page.get_by_role("main")).to_contain_text("取り消せません")  # what publishing does
    assert_accessible(page)
    page.get_by_role("button", name="公開する").click()
    expect(page.locator("[data-job=done]")).to_have_text("100", timeout=60000)
    expect(page.get_by_role("link", name=re.compile("PDFをダウンロード"))).to_be_visible()
    page.wait_for_timeout(1500)  # the progress script has finished polling
    assert_accessible(page)
    assert Build.objects.get(edition=edition).status == "done"

    # a coordinator adds a document to the library, then a second version with a changelog
    page.goto(f"{base}/materials/new/")
    assert_accessible(page)
    page.get_by_label("件名").fill("提言（本文）")
    page.get_by_label("種類").select_option("proposal")
    page.get_by_label("ダウンロードできる人").select_option("public")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "提言.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%first\n"}]
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提言（本文）")
    page.get_by_label("新しいファイル").set_input_files(
        files=[{"name": "提言_改訂.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%second\n"}]
    )
    page.get_by_label("変更内容").fill("誤字を修正")
    page.get_by_role("button", name="アップロード").click()
    expect(page.get_by_text("v2 提言_改訂.pdf")).to_be_visible()
    expect(page.get_by_text("誤字を修正")).to_be_visible()
    expect(page.get_by_text("v1 提言.pdf")).to_be_visible()
    assert_accessible(page)

    visitor = browser.new_context(locale="ja-JP").new_page()
    visitor.goto(f"{base}/guidebook/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="令和7年度版 ひきこもり支援ガイドブック").click()
    expect(visitor.get_by_role("link", name="PDFをダウンロード")).to_be_visible()
    visitor.get_by_role("link", name="2　ひきこもりの定義").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("ひきこもりの定義")
    assert_accessible(visitor)
    visitor.get_by_label("検索").fill("家庭")
    visitor.get_by_role("button", name="検索").click()
    expect(visitor.locator("mark").first).to_have_text("家庭")
    assert_accessible(visitor)
    visitor.goto(f"{base}/materials/")
    expect(visitor.get_by_role("link", name="相談案内リーフレット", exact=True)).to_be_visible()
    expect(visitor.get_by_text("会員向け冊子")).to_have_count(0)
    assert_accessible(visitor)
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name="ダウンロード 相談案内リーフレット").click()
    assert info.value.suggested_filename == "leaflet.pdf"
