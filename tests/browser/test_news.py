"""News in Chromium: a municipal user and a partner user each write a post; the coordinator
returns one and approves the other; the public sees only the approved one, on the list and the
public entrance. axe-core on every page, at 1280 px and at 390×844."""

import pytest
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.directory import demo as directory_demo

from .axe import assert_accessible
from .test_training import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _write(page, base, title, body):
    page.goto(f"{base}/news/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="記事を書く").click()
    assert_accessible(page)
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill(body)
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)
    page.get_by_role("link", name="確認して事務局に送る").click()
    assert_accessible(page)
    page.get_by_role("button", name="確認を依頼する").click()
    expect(page.locator("main")).to_contain_text("確認待ち")


def _new_page(browser, base, email, *, viewport=None, totp=False):
    context = browser.new_context(locale="ja-JP", viewport=viewport or {"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base, email, totp=totp)
    return page


def test_write_review_publish(live_server, browser):
    seed_demo()
    directory_demo.seed_demo()
    base = live_server.url

    municipal = _new_page(browser, base, "hachioji@example.jp")
    _write(municipal, base, "八王子市 ひきこもり講演会", "講演会を開きます。\n\n- 参加無料")
    partner = _new_page(browser, base, "npo-a@example.jp", viewport=PHONE)
    _write(partner, base, "居場所の見学会", "見学会を開きます。")

    coordinator = _new_page(browser, base, "coordinator@example.jp", totp=True)
    coordinator.goto(f"{base}/news/manage/")
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="居場所の見学会").first.click()
    assert_accessible(coordinator)
    coordinator.locator("#id_comment").fill("日時と会場を書き足してください。")
    coordinator.get_by_role("button", name="コメントを付けて差し戻す").click()
    expect(coordinator.locator("main")).to_contain_text("差し戻し")
    coordinator.goto(f"{base}/news/manage/")
    coordinator.get_by_role("link", name="八王子市 ひきこもり講演会").first.click()
    coordinator.get_by_role("button", name="承認して公開").click()
    expect(coordinator.locator("main")).to_contain_text("記事を公開し")
    assert_accessible(coordinator)

    # the partner sees the comment on its returned post
    partner.goto(f"{base}/news/manage/")
    partner.get_by_role("link", name="居場所の見学会").first.click()
    expect(partner.locator("main")).to_contain_text("日時と会場を書き足してください。")
    assert_accessible(partner)

    for viewport in ({"width": 1280, "height": 900}, PHONE):
        public = browser.new_context(locale="ja-JP", viewport=viewport).new_page()
        public.goto(base + "/")
        expect(public.get_by_role("link", name="八王子市 ひきこもり講演会")).to_be_visible()
        assert_accessible(public)
        public.get_by_role("link", name="新着情報・お知らせの一覧").click()
        expect(public.get_by_role("heading", level=1)).to_have_text("新着情報・お知らせ")
        expect(public.locator("main")).to_contain_text("八王子市 ひきこもり講演会")
        expect(public.locator("main")).not_to_contain_text("居場所の見学会")
        assert_accessible(public)
        public.get_by_role("link", name="八王子市 ひきこもり講演会").click()
        expect(public.locator("main li").first).to_contain_text("参加無料")
        assert_accessible(public)
        for path in ("/directory/partners/", "/directory/institutions/", "/directory/events/"):
            public.goto(base + path)
            assert_accessible(public)
        public.context.close()
