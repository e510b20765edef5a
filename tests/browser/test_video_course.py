"""A 民生委員・児童委員 learner takes a video module's quiz in Chromium: a wrong answer is refused
with the score and the choice kept, the right one passes and completes the course; axe on each page."""

import pytest
from playwright.sync_api import expect

from portal.accounts.demo import seed_demo
from portal.accounts.models import User
from portal.training import reference, services
from portal.training.models import Completion, Course, QuizQuestion

from ..factories import MembershipFactory, OrganizationFactory
from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_video_module_quiz(page, live_server):
    seed_demo()
    reference.load(Course)
    coordinator = User.objects.get(email="coordinator@example.jp")
    course = Course.objects.get(fiscal_year=2025, code="commissioners-intro-video")
    module = services.module_save(
        actor=coordinator,
        course=course,
        title="ひきこもりの基礎",
        order=1,
        minutes=20,
        video_url="https://video.example.jp/intro",
    )
    QuizQuestion.objects.create(
        module=module, text="ひきこもりの状態とは、おおむね何か月以上？", choices=["1か月", "6か月"], answer=1
    )
    council = OrganizationFactory(
        kind="commissioners", name="甲市民生委員児童委員協議会", code=None, municipality_kind=""
    )
    learner = MembershipFactory(organization=council, user__email="minsei@example.jp").user

    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(learner.email)
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"{base}/training/courses/{course.pk}/")
    expect(page.get_by_text("未受講")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="ひきこもりの基礎").click()
    expect(page.get_by_role("link", name="動画を見る")).to_be_visible()
    page.get_by_role("radio", name="1か月").check()
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_role("alert")).to_contain_text("得点0%")
    expect(page.get_by_role("radio", name="1か月")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("radio", name="6か月").check()
    page.get_by_role("button", name="回答を送信").click()
    expect(page.get_by_role("status").first).to_contain_text("合格")
    expect(page.get_by_text("この研修を修了しました", exact=False).first).to_be_visible()
    assert_accessible(page)
    assert Completion.objects.filter(course=course, user=learner).exists()
