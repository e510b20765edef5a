"""The start-up subsidy in Chromium: call → application → return → resubmit → grant decision PDF →
performance report → final amount, for a coordinator (1280 px) and a municipal user (390×844)."""

import datetime as dt
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.core.dates import fiscal_year_of
from portal.subsidies.models import Application, Call

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PDF = {"name": "計画書.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%test\n"}


def sign_in(page, base, email, totp=False):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if totp:
        code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
        page.get_by_label("コード").fill(code)
        page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


@pytest.fixture
def people(browser):
    coordinator = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    staff = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True)
    yield coordinator.new_page(), staff.new_page()
    coordinator.close()
    staff.close()


def upload(page, requirement):
    page.locator("#id_requirement").select_option(requirement)
    page.locator("#id_file").set_input_files(files=[PDF])
    page.locator("form[action$='/documents/'] button[type=submit]").click()
    expect(page.get_by_role("status").first).to_contain_text("アップロードしました")


def test_subsidy_cycle(people, live_server):
    seed_demo()
    base = live_server.url
    coordinator, staff = people
    today = timezone.localdate()
    year = fiscal_year_of(today)

    # the coordinator creates and opens the call
    sign_in(coordinator, base, "coordinator@example.jp", totp=True)
    coordinator.goto(base + "/subsidies/calls/new/")
    assert_accessible(coordinator)
    coordinator.locator("#id_fiscal_year").fill(str(year))
    coordinator.locator("#id_opens_on").fill(today.isoformat())
    coordinator.locator("#id_closes_on").fill((today + dt.timedelta(days=20)).isoformat())
    coordinator.locator("#id_budget").fill("１０,０００,０００")
    coordinator.locator("#id_report_due").fill((today + dt.timedelta(days=200)).isoformat())
    coordinator.locator("#id_required_documents").fill("事業計画書\n収支予算書")
    coordinator.get_by_role("button", name="公募を作成する").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("公募を作成しました")
    coordinator.get_by_role("link", name="公募を開始する").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="公募を開始して区市町村に通知する").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("公募を開始し")
    call = Call.objects.get(fiscal_year=year)
    assert call.opened_at is not None

    # 文京区 applies: plan, one expense line, documents, declaration
    sign_in(staff, base, "bunkyo@example.jp")
    staff.goto(f"{base}/subsidies/calls/{call.pk}/")
    assert_accessible(staff)
    staff.get_by_role("button", name="申請を始める").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("立ち上げ支援補助")
    staff.get_by_label("実施する事業").fill("ひきこもり地域支援センターの設置")
    staff.get_by_label("事業開始日").fill(today.isoformat())
    staff.get_by_label("実施体制（職員）").fill("社会福祉士 1名")
    staff.get_by_label("事業の内容").fill("相談窓口を開設する。")
    staff.locator("#id_lines-0-category").select_option("personnel")
    staff.locator("#id_lines-0-description").fill("相談支援員の報酬")
    staff.locator("#id_lines-0-planned").fill("2,000,000円")
    staff.get_by_role("button", name="下書きを保存").click()
    expect(staff.get_by_role("status").first).to_contain_text("保存しました")
    assert_accessible(staff)
    upload(staff, "事業計画書")
    upload(staff, "収支予算書")
    staff.get_by_role("button", name="保存して提出内容を確認する").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("確認")
    assert_accessible(staff)
    staff.locator("#id_declaration").check()
    staff.get_by_role("button", name="サポートネットに提出する").click()
    expect(staff.get_by_role("status").first).to_contain_text("提出しました")
    application = Application.objects.get(call=call, organization__name="文京区")

    # the coordinator returns it with a comment on the plan
    coordinator.goto(f"{base}/subsidies/applications/{application.pk}/")
    assert_accessible(coordinator)
    coordinator.locator("#id_plan").fill("事業開始日を4月以降の実施計画に合わせてください。")
    coordinator.get_by_role("button", name="区市町村に差し戻す").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("差し戻しました")

    # the municipality sees exactly what to fix, corrects and resubmits
    staff.goto(f"{base}/subsidies/applications/{application.pk}/edit/")
    expect(staff.get_by_text("事業開始日を4月以降の実施計画に合わせてください。")).to_be_visible()
    staff.get_by_label("連携先").fill("社会福祉協議会、家族会")
    staff.get_by_role("button", name="保存して提出内容を確認する").click()
    staff.locator("#id_declaration").check()
    staff.get_by_role("button", name="サポートネットに提出する").click()
    expect(staff.get_by_role("status").first).to_contain_text("提出しました")

    # the coordinator decides, confirming first
    coordinator.goto(f"{base}/subsidies/applications/{application.pk}/decide/")
    assert_accessible(coordinator)
    coordinator.locator("#id_decision_0").check()
    coordinator.locator("#id_amount").fill("900000")
    coordinator.get_by_role("button", name="決定内容を確認する").click()
    expect(coordinator.get_by_text("取り消せません")).to_be_visible()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="交付決定を確定する").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("決定し")

    # the municipality downloads the numbered decision notice
    staff.goto(f"{base}/subsidies/applications/{application.pk}/")
    with staff.expect_download() as download:
        staff.get_by_role("link", name="交付決定通知書（PDF）").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # performance report
    staff.get_by_role("link", name="実績報告").first.click()
    assert_accessible(staff)
    staff.get_by_label("実施した内容").fill("窓口を開設し、延べ40件の相談に対応した。")
    line = application.lines.get()
    staff.locator(f"#id_actual_{line.pk}").fill("1,600,000")
    staff.get_by_role("button", name="保存して提出内容を確認する").click()
    assert_accessible(staff)
    staff.get_by_role("button", name="実績報告を提出する").click()
    expect(staff.get_by_role("status").first).to_contain_text("提出しました")

    # the coordinator confirms the final amount
    coordinator.goto(f"{base}/subsidies/applications/{application.pk}/finalize/")
    expect(coordinator.locator("#id_final_amount")).to_have_value("800000")
    coordinator.get_by_role("button", name="金額を確認する").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="補助金の額を確定する").click()
    expect(coordinator.get_by_role("status").first).to_contain_text("確定し")
    application.refresh_from_db()
    assert (application.status, application.final_amount, application.granted_amount) == (
        "final",
        800_000,
        900_000,
    )
    assert list(application.revisions.values_list("number", flat=True)) == [1, 2]
