"""A municipality saves a case draft, then deletes it through the confirmation page, in Chromium
at desktop and phone width, with axe on each page: the draft and its text are gone."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.casereviews.models import Case

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_a_municipality_deletes_its_case_draft_after_confirming(page, live_server, viewport):
    seed_demo()
    base = live_server.url
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill("hachioji@example.jp")
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(base + "/cases/new/")

    page.get_by_label("仮名またはイニシャル").fill("Dさん")
    page.get_by_label("困っていること").fill("下書きのまま残したくない記載。")
    page.get_by_role("button", name="下書きを保存").click()
    expect(page.get_by_role("status").first).to_contain_text("下書きを保存しました")
    draft = Case.objects.get(pseudonym="Dさん", status="draft")

    page.get_by_role("link", name="下書きを削除する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("下書きを削除する")
    expect(page.get_by_text("この操作は取り消せません。")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="下書きを削除する").click()

    expect(page.get_by_role("status").first).to_contain_text("下書きを削除しました")
    assert not Case.objects.filter(pk=draft.pk).exists()
    expect(page.get_by_text(draft.reference)).to_have_count(0)
    assert_accessible(page)
