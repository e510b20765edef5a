"""Demo records of the training programme (run by ``seed_demo``; idempotent): the 令和7年度
catalogue copied to the current year with upcoming sessions, a completed 概論 with its 修了証 for
hachioji@, a seat on 事例検討 for hachioji@ and a waiting-list place for bunkyo@."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import User
from portal.core.dates import business_day_on_or_after, business_day_on_or_before, fiscal_year_of

from . import reference, services
from .models import Completion, Course, QuizQuestion, Registration, Session, VideoModule

VIDEO_QUIZ = {
    "commissioners-intro-video": [
        (
            "ひきこもりの状態とは、おおむね何か月以上続く場合を指すことが多いですか。",
            ["1か月", "6か月", "3年"],
            1,
        ),
        ("ひきこもりは特定の人だけに起こる問題である。", ["正しい", "誤り"], 1),
    ],
    "commissioners-family-video": [
        ("家族から相談を受けたとき、最初に大切なことは。", ["まず話を聴く", "すぐに本人を訪ねる"], 0),
    ],
    "commissioners-system-video": [
        ("東京都ひきこもりサポートネットの相談方法に含まれるものは。", ["電話・メール・訪問", "来所のみ"], 0),
    ],
}


def _at(days: int, hour: int) -> dt.datetime:
    """A session about ``days`` from now, on a business day (never 元日 or a Sunday)."""
    day = business_day_on_or_after(timezone.localdate() + dt.timedelta(days=days))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _session(
    coordinator, course, *, days, hour=14, capacity=30, venue="都庁第一本庁舎 会議室", online=False, label=""
):
    start = _at(days, hour)
    return services.session_create(
        actor=coordinator,
        course=course,
        label=label,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        venue="" if online else venue,
        online_url="https://meet.example.jp/training" if online else "",
        capacity=capacity,
        opens_at=timezone.now() - dt.timedelta(days=7),
        registration_deadline=services.default_deadline(
            business_day_on_or_before((start - dt.timedelta(days=7)).date())
        ),
    )


def seed_demo() -> None:
    if Session.objects.exists():
        return
    coordinator = User.objects.get(email="coordinator@example.jp")
    hachioji = User.objects.get(email="hachioji@example.jp")
    bunkyo = User.objects.get(email="bunkyo@example.jp")
    year = fiscal_year_of()
    reference.load(Course)  # shipped by a data migration; loaded again if a test flush removed it
    r7 = {c.code: c for c in Course.objects.filter(fiscal_year=reference.FISCAL_YEAR)}

    # 令和7年度: hachioji@ attended ひきこもり概論 and holds its 修了証.
    past = _session(coordinator, r7["supporters-intro"], days=10, online=True, label="第1回")
    registration = services.register(actor=hachioji, session=past)
    Session.objects.filter(pk=past.pk).update(
        starts_at=dt.datetime(2025, 10, 15, 14, 0, tzinfo=timezone.get_default_timezone()),
        ends_at=dt.datetime(2025, 10, 15, 17, 0, tzinfo=timezone.get_default_timezone()),
        opens_at=dt.datetime(2025, 9, 1, 9, 0, tzinfo=timezone.get_default_timezone()),
        registration_deadline=services.default_deadline(dt.date(2025, 10, 8)),
    )
    past.refresh_from_db()
    services.mark_attendance(
        actor=coordinator, session=past, registrations=[registration], attendance="present"
    )
    services.issue_certificate(Completion.objects.get(user=hachioji, course=r7["supporters-intro"]))

    # This year's catalogue, copied from 令和7年度, with upcoming sessions.
    if year != reference.FISCAL_YEAR:
        services.catalogue_copy(actor=coordinator, from_year=reference.FISCAL_YEAR, to_year=year)
    now_courses = {c.code: c for c in Course.objects.filter(fiscal_year=year)}
    plan = [
        ("supporters-intro", 18, True, 60, "第2回"),
        ("supporters-home-visit", 25, False, 1, "少人数ロールプレイ"),
        ("supporters-ibasho", 32, False, 30, ""),
        ("supporters-family", 39, True, 80, ""),
        ("supporters-case-study", 46, False, 24, "第1回"),
        ("supporters-practice", 53, True, 100, ""),
        ("implementers-guideline", 28, False, 40, ""),
        ("agencies-intro", 35, True, 60, ""),
        ("commissioners-in-person", 42, False, 40, ""),
    ]
    sessions = {
        code: _session(coordinator, now_courses[code], days=days, online=online, capacity=cap, label=label)
        for code, days, online, cap, label in plan
    }
    services.register(actor=hachioji, session=sessions["supporters-case-study"])  # 概論 done in 令和7年度
    services.register(actor=hachioji, session=sessions["supporters-home-visit"])  # the only seat
    waiting = services.register(actor=bunkyo, session=sessions["supporters-home-visit"])
    assert waiting.status == Registration.Status.WAITLISTED  # noqa: S101 (demo invariant)

    for code, questions in VIDEO_QUIZ.items():
        course = now_courses[code]
        module = VideoModule.objects.create(
            course=course,
            order=1,
            title=course.title.replace("【動画】", ""),
            description="動画を視聴したあと、確認テストに回答してください。",
            video_url=f"https://video.example.jp/{code}",
            minutes=25,
        )
        for i, (text, choices, answer) in enumerate(questions, start=1):
            QuizQuestion.objects.create(module=module, order=i, text=text, choices=choices, answer=answer)
