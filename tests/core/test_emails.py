"""Every email reads like a letter from the secretariat: the addressee, the greeting, one sentence
of what happened, the facts (dates in 和暦 with the weekday), what to do next with an absolute link,
and the signature with the secretariat's contact and 「このメールは送信専用です」."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from portal.core import outbox
from portal.core.models import OutboundEmail

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
START = dt.datetime(2026, 12, 4, 14, 15, tzinfo=TOKYO)  # 令和8年12月4日（金）
END = START + dt.timedelta(hours=2)
WHEN = "令和8年12月4日（金）14:15〜16:15"


def assert_letter(mail: OutboundEmail, *, addressee: str, link: str | None, facts: tuple[str, ...] = ()):
    text = mail.body_text
    lines = text.splitlines()
    assert lines[0] == addressee, text
    assert "東京都ひきこもりサポートネット事務局です。" in text
    for fact in facts:
        assert fact in text, (fact, text)
    if link is not None:
        assert f"{settings.SITE_URL}{link}" in text, text
        assert re.search(r"^https?://", text[text.index(settings.SITE_URL + link) :]), text
    signature = text[text.index("――") :]
    assert "東京都ひきこもりサポートネット事務局" in signature
    assert "0120-529-528" in signature and "hkks-seminar@sneta.jp" in signature
    assert "このメールは送信専用です" in signature
    assert not re.search(r"\b[A-Z][a-z]+ [a-z]+", text.replace(settings.SITE_URL, "")), (
        text
    )  # no English left
    assert "\n\n\n" not in text  # no holes where a fact was left out
    assert "。 " not in text  # Japanese sentences follow each other without a space


@pytest.fixture
def person(db):
    from ..factories import UserFactory

    return UserFactory(email="yamada@example.jp", display_name="山田 花子")


def _call(fn):
    return lambda *a, **k: fn


def _event():
    return SimpleNamespace(
        title="令和8年度 第2回 支援者交流会",
        starts_at=START,
        ends_at=END,
        venue="都庁第一本庁舎 会議室",
        online_url="https://meet.example.jp/abc",
    )


def _session():
    course = SimpleNamespace(title="ひきこもり概論")
    return SimpleNamespace(
        course=course,
        label="第1回",
        starts_at=START,
        ends_at=END,
        venue="都庁第一本庁舎 会議室",
        online_url="",
    )


def _sheet():
    org = SimpleNamespace(name="甲市")
    programme = SimpleNamespace(
        label="令和8年度 ネットワーク構築支援事業", hearing_deadline=dt.date(2026, 12, 18)
    )
    return SimpleNamespace(organization=org, programme=programme)


def _consultation():
    return SimpleNamespace(
        get_field_display=_call("法務"),
        topic="就労支援と成年後見",
        starts_at=START,
        ends_at=END,
        get_format_display=_call("オンライン"),
    )


def _case_review():
    case = SimpleNamespace(reference="C2026-0001", organization="甲市", report_due=dt.date(2027, 3, 4))
    meeting = SimpleNamespace(starts_at=START, venue="事務局会議室", online_url="https://meet.example.jp/x")
    meeting.__str__ = lambda self=meeting: "第3回 ケース検討会議"
    return case, meeting


def _outreach():
    """A touring-consultation host with its day, and a home-visit referral with its interview."""
    org = SimpleNamespace(name="甲市")
    host = SimpleNamespace(
        organization=org, facility_name="甲市福祉会館", room="2階 相談室", facility_address="甲市本町1-2-3"
    )
    day = SimpleNamespace(date=START.date(), starts_at=START, ends_at=END)
    referral = SimpleNamespace(reference="V2026-0001", interview_at=START, interview_place="甲市役所 相談室")
    return host, day, referral


def _subsidy(status="granted"):
    """A municipality's start-up subsidy application under the 令和8年度 call."""
    call = SimpleNamespace(label="令和8年度", closes_at=START, report_due=dt.date(2027, 3, 4))
    return SimpleNamespace(
        organization=SimpleNamespace(name="甲市"),
        call=call,
        status=status,
        number="R8-立-001",
        granted_amount=1_500_000,
        final_amount=1_234_000,
    )


def _contexts():
    case, meeting = _case_review()
    sheet = _sheet()
    training = _session()
    ev = _event()
    c = _consultation()
    exchange = SimpleNamespace(
        organization=sheet.organization,
        starts_at=START,
        ends_at=END,
        meeting_url="https://meet.example.jp/ex",
    )
    url = "/x/1/"
    when_date = "令和8年12月18日（金）"
    ev_facts = ("令和8年度 第2回 支援者交流会", WHEN, "都庁第一本庁舎 会議室", "https://meet.example.jp/abc")
    tr_facts = ("ひきこもり概論 第1回", WHEN, "都庁第一本庁舎 会議室")
    pc_facts = ("法務", "就労支援と成年後見", WHEN, "オンライン")
    ex_facts = ("甲市", WHEN, "https://meet.example.jp/ex")
    host, day, referral = _outreach()
    od_facts = ("甲市", WHEN, "甲市福祉会館 2階 相談室", "甲市本町1-2-3")
    person_ = "山田 花子 様"
    org_ = "甲市 ご担当者様"
    return [
        # template, context, addressee, facts
        (
            "mailings/email/letter",
            {"subject": "資料のご案内", "message": "都庁第一本庁舎 会議室でお待ちしています。", "url": url},
            person_,
            ("都庁第一本庁舎 会議室でお待ちしています。",),
        ),
        (
            "casereviews/email/advice_issued",
            {"case": case, "url": url, "report_due": "令和9年3月4日"},
            person_,
            ("C2026-0001", "令和9年3月4日（木）"),
        ),
        (
            "casereviews/email/meeting_invitation",
            {"case": case, "meeting": meeting, "slot_start": START, "day": "令和8年12月4日", "url": url},
            person_,
            ("C2026-0001", "令和8年12月4日（金）14:15〜", "事務局会議室", "https://meet.example.jp/x"),
        ),
        (
            "casereviews/email/meeting_updated",
            {"meeting": meeting, "day": "令和8年12月4日", "url": url},
            person_,
            ("令和8年12月4日（金）14:15〜", "事務局会議室"),
        ),
        (
            "casereviews/email/meeting_updated_municipality",
            {"case": case, "meeting": meeting, "slot_start": START, "day": "令和8年12月4日", "url": url},
            person_,
            ("C2026-0001", "令和8年12月4日（金）14:15〜"),
        ),
        *[
            (
                f"meetings/email/{name}",
                {"event": ev, "day": "令和8年12月4日", "url": url, **extra},
                person_,
                ev_facts,
            )
            for name, extra in (
                ("changed", {}),
                ("confirmed", {}),
                ("event_cancelled", {}),
                ("reminder", {}),
                ("waitlisted", {}),
                ("offer", {"expires": START - dt.timedelta(days=2)}),
            )
        ],
        (
            "municipalities/email/deadline_reminder",
            {"sheet": sheet, "days": 7, "deadline": "令和8年12月18日", "url": url},
            org_,
            ("甲市", when_date),
        ),
        (
            "municipalities/email/invitation",
            {"sheet": sheet, "programme": sheet.programme, "deadline": "令和8年12月18日", "url": url},
            org_,
            ("令和8年度 ネットワーク構築支援事業", when_date),
        ),
        (
            "municipalities/email/returned",
            {"sheet": sheet, "comment": "設問3の回答をご記入ください。", "url": url},
            org_,
            ("設問3の回答をご記入ください。",),
        ),
        *[
            (
                f"municipalities/email/{name}",
                {"session": exchange, "starts": "令和8年12月4日", "url": url},
                person_,
                ex_facts,
            )
            for name in ("exchange_invitation", "exchange_updated", "exchange_cancelled")
        ],
        *[
            (f"partners/email/{name}", {"c": c, "day": "令和8年12月4日", "url": url}, person_, pc_facts)
            for name in ("cancelled", "changed", "confirmed", "reminder")
        ],
        *[
            (
                f"training/email/{name}",
                {
                    "session": training,
                    "course": training.course,
                    "day": "令和8年12月4日",
                    "url": url,
                    **extra,
                },
                person_,
                tr_facts,
            )
            for name, extra in (
                ("cancelled", {}),
                ("changed", {}),
                ("confirmed", {}),
                ("reminder", {"days": 1}),
                ("session_cancelled", {}),
                ("waitlisted", {}),
                ("offer", {"expires": START - dt.timedelta(days=2)}),
            )
        ],
        *[
            (
                "outreach/email/day",
                {"host": host, "day": day, "url": url, **extra},
                person_,
                (sentence, *od_facts),
            )
            for extra, sentence in (
                ({"reminder": True}, "巡回相談の日が近づきました"),
                ({"changed": True}, "巡回相談の時間が変更になりました"),
            )
        ],
        (
            "outreach/email/facility",
            {
                "host": host,
                "days": [day],
                "changes": [{"label": "施設名", "before": "甲市役所", "after": "甲市福祉会館"}],
                "url": url,
            },
            person_,
            ("甲市", WHEN, "施設名：甲市役所 → 甲市福祉会館"),
        ),
        (
            "outreach/email/interview",
            {"referral": referral, "url": url},
            person_,
            ("V2026-0001", "令和8年12月4日（金）14:15", "甲市役所 相談室"),
        ),
        # メール相談: residents are never named (no nickname, no content of their consultation)
        (
            "consultations/email/register",
            {"url": "/consultation/register/x/", "hours": 24},
            "メール相談をご利用の方へ",
            ("24時間以内",),
        ),
        (
            "consultations/email/already_registered",
            {"url": "/consultation/sign-in/"},
            "メール相談をご利用の方へ",
            (),
        ),
        (
            "consultations/email/reset",
            {"url": "/consultation/reset/x/", "hours": 1},
            "メール相談をご利用の方へ",
            ("1時間以内", "利用者番号"),
        ),
        (
            "consultations/email/reply_waiting",
            {"url": "/consultation/my/"},
            "メール相談をご利用の方へ",
            ("お返事が届いています",),
        ),
        *[
            (
                "subsidies/email/change_decided",
                {
                    "application": _subsidy(),
                    "change": SimpleNamespace(
                        status=status, reason="講師謝金を増額します。", new_amount=amount, response=response
                    ),
                    "url": url,
                },
                org_,
                facts,
            )
            for status, amount, response, facts in (
                (
                    "approved",
                    1_200_000,
                    "承認します。",
                    ("変更申請を承認しました。", "講師謝金を増額します。", "1,200,000円", "承認します。"),
                ),
                ("rejected", None, "", ("承認されませんでした", "講師謝金を増額します。")),
            )
        ],
        (
            "subsidies/email/closing_reminder",
            {"application": _subsidy("draft"), "closes_at": START.replace(hour=17, minute=0), "url": url},
            org_,
            ("令和8年12月4日（金）17:00",),
        ),
        (
            "subsidies/email/decided",
            {"application": _subsidy(), "granted": True, "url": url},
            org_,
            ("R8-立-001", "1,500,000円", "令和9年3月4日（木）"),
        ),
        (
            "subsidies/email/decided",
            {"application": _subsidy("not_granted"), "granted": False, "url": url},
            org_,
            ("交付できない",),
        ),
        (
            "subsidies/email/finalized",
            {"application": _subsidy("final"), "url": url},
            org_,
            ("1,234,000円",),
        ),
        (
            "subsidies/email/report_reminder",
            {"application": _subsidy(), "due": dt.date(2027, 3, 4), "url": url},
            org_,
            ("令和9年3月4日（木）",),
        ),
        *[
            (
                "subsidies/email/returned",
                {
                    "application": _subsidy(status),
                    "comments": [("事業計画", "目標の数値をご記入ください。")],
                    "url": url,
                },
                org_,
                (what, "■事業計画\n目標の数値をご記入ください。"),
            )
            for status, what in (("returned", "申請"), ("report_returned", "実績報告"))
        ],
        *_resident_cases(),
    ]


def _resident_cases():
    """個別相談・家族セミナー・ピアオンライン相談: letters to the applicant, named as they applied."""
    manage = "/consult/my/token/"
    day = SimpleNamespace(get_venue_display=lambda: "足立", get_kind_display=lambda: "家族ピア")
    slot = SimpleNamespace(starts_at=START, ends_at=END, day=day)
    application = SimpleNamespace(name="山田 花子", reference="R8-I-0001")
    seminar = SimpleNamespace(
        theme="家族の休み方", starts_at=START, ends_at=END, online_url="https://zoom.example.jp/j/1"
    )
    seat = SimpleNamespace(
        seminar=seminar,
        mode="online",
        status="confirmed",
        status_label="確定",
        offer_expires_at=START - dt.timedelta(days=2),
        get_mode_display=lambda: "オンライン",
    )
    booking = SimpleNamespace(
        nickname="そら", reference="R8-P-0001", slot=slot, get_mode_display=lambda: "オンライン"
    )
    common = {"application": application, "manage_url": manage, "url": manage, "free_dial": "0120-529-528"}
    when = "令和8年12月4日（金）14:15"
    return [
        (
            "residents/email/individual_received",
            {**common, "preferences": [slot]},
            "山田 花子 様",
            (when, "R8-I-0001"),
        ),
        ("residents/email/individual_confirmed", {**common, "slot": slot}, "山田 花子 様", (when, "足立")),
        ("residents/email/individual_waiting", common, "山田 花子 様", ("R8-I-0001",)),
        (
            "residents/email/individual_offer",
            {**common, "slot": slot, "expires": START},
            "山田 花子 様",
            (when,),
        ),
        ("residents/email/individual_declined", common, "山田 花子 様", ("0120-529-528",)),
        ("residents/email/individual_cancelled", {**common, "slot": slot}, "山田 花子 様", (when,)),
        ("residents/email/individual_reminder", {**common, "slot": slot}, "山田 花子 様", (when, "足立")),
        ("residents/email/seminar_received", {**common, "seats": [seat]}, "山田 花子 様", ("家族の休み方",)),
        (
            "residents/email/seminar_confirmed",
            {**common, "seat": seat},
            "山田 花子 様",
            ("家族の休み方", when),
        ),
        ("residents/email/seminar_offer", {**common, "seat": seat}, "山田 花子 様", ("家族の休み方",)),
        ("residents/email/seminar_cancelled", common, "山田 花子 様", ("R8-I-0001",)),
        (
            "residents/email/seminar_reminder",
            {**common, "seat": seat},
            "山田 花子 様",
            ("家族の休み方", when),
        ),
        (
            "residents/email/peer_confirmed",
            {"booking": booking, "free_dial": "0120-529-528", "url": None},
            "そら 様",
            (when, "R8-P-0001"),
        ),
        (
            "residents/email/peer_reminder",
            {"booking": booking, "free_dial": "0120-529-528", "url": None},
            "そら 様",
            (when,),
        ),
    ]


CASES = _contexts()


# (Named ``values``, not ``context``: pytest-playwright has a ``context`` fixture, and a test that
# names it is grouped with the browser tests and run after the database flushes they cause.)
@pytest.mark.parametrize(("template", "values", "addressee", "facts"), CASES, ids=[c[0] for c in CASES])
def test_templated_email_is_a_letter(person, template, values, addressee, facts):
    mail = outbox.queue_templated_email(to=person.email, recipient=person, template=template, context=values)

    assert_letter(mail, addressee=addressee, link=values["url"], facts=facts)
    assert mail.subject.strip() and "\n" not in mail.subject


# The subject of a letter about a day names that day with its weekday (and the time when it has one).
SUBJECT_DATES = {
    "outreach/email/day": "（甲市・令和8年12月4日（金））",
    "outreach/email/facility": "（令和8年12月4日（金））",
    "outreach/email/interview": "（令和8年12月4日（金）14:15）",
    "subsidies/email/closing_reminder": "令和8年12月4日（金）17:00",
    "subsidies/email/report_reminder": "令和9年3月4日（木）",
}
DATED = [c for c in CASES if c[0] in SUBJECT_DATES]


@pytest.mark.parametrize(("template", "values", "addressee", "facts"), DATED, ids=[c[0] for c in DATED])
def test_templated_email_subject_names_its_day_with_weekday(person, template, values, addressee, facts):
    mail = outbox.queue_templated_email(to=person.email, recipient=person, template=template, context=values)

    assert SUBJECT_DATES[template] in mail.subject, mail.subject


def test_every_email_template_is_covered():
    from pathlib import Path

    shipped = {
        str(p.relative_to(Path(settings.BASE_DIR, "templates")))[: -len("_body.txt")]
        for p in Path(settings.BASE_DIR, "templates").glob("*/email/*_body.txt")
    }
    shipped.discard("core/email/letter")  # the frame every body extends
    covered = {c[0] for c in CASES} | {"accounts/email/invitation", "core/email/notification"}
    assert shipped == covered


def test_offer_names_its_deadline_with_weekday(person):
    ev = _event()
    mail = outbox.queue_templated_email(
        to=person.email,
        recipient=person,
        template="meetings/email/offer",
        context={"event": ev, "day": "", "url": "/e/1/", "expires": START - dt.timedelta(days=2)},
    )
    assert "回答期限：令和8年12月2日（水）14:15" in mail.body_text
    assert "2026-12-02" not in mail.body_text  # no ISO date for people


def test_invitation_email_is_a_letter(coordinator, org_a, django_capture_on_commit_callbacks):
    from portal.accounts import services
    from portal.accounts.models import Membership

    services.invitation_create(
        actor=coordinator, email="new@example.jp", organization=org_a, role=Membership.Role.MEMBER
    )

    mail = OutboundEmail.objects.get(to="new@example.jp")
    assert_letter(mail, addressee="甲市 ご担当者様", link=None, facts=("甲市",))
    assert re.search(rf"^{re.escape(settings.SITE_URL)}/\S+$", mail.body_text, re.M)  # the accept link
    assert "有効期間7日" in mail.body_text


def test_notification_email_is_a_letter_not_a_bare_url(coordinator, org_a, member_a):
    """A case submitted: the coordinators get a letter saying which case from whom, with the link."""
    from portal.core.models import Notification

    from ..casereviews.conftest import submitted_case

    case = submitted_case(org_a, member_a)

    mail = OutboundEmail.objects.get(recipient=coordinator)
    note = Notification.objects.get(user=coordinator)
    assert_letter(mail, addressee="調整 太郎 様", link=note.url, facts=(case.reference, "甲市"))
    assert not mail.body_text.lstrip().startswith(settings.SITE_URL)


def test_notify_letter_carries_the_body_facts(person):
    outbox.notify(
        user=person,
        title="事前ヒアリングシートが差し戻されました（令和8年度 ネットワーク構築支援事業）",
        body="設問3の回答をご記入ください。",
        url="/municipalities/sheets/1/edit/",
    )

    mail = OutboundEmail.objects.get(recipient=person)
    assert_letter(
        mail,
        addressee="山田 花子 様",
        link="/municipalities/sheets/1/edit/",
        facts=("事前ヒアリングシートが差し戻されました", "設問3の回答をご記入ください。"),
    )


def test_subsidy_call_letters_name_the_closing_day_and_time(coordinator, member_a, org_a):
    """Opening the call and the reminder before it closes: 令和N年M月D日（曜）17:00, no space."""
    from django.urls import reverse
    from django.utils import timezone

    from portal.core.dates import fiscal_year_of, wareki
    from portal.core.models import Notification
    from portal.subsidies import services

    closes_on = timezone.localdate() + dt.timedelta(days=7)
    closing = wareki(closes_on, weekday=True) + "17:00"
    call = services.call_create(
        actor=coordinator,
        fiscal_year=fiscal_year_of(closes_on),
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_on=closes_on,
        budget=10_000_000,
        report_due=closes_on + dt.timedelta(days=120),
    )
    call = services.call_open(actor=coordinator, call=call)
    services.application_start(actor=member_a, call=call, organization=org_a)

    services.send_reminders(today=timezone.localdate())

    opening = OutboundEmail.objects.get(recipient=member_a, kind="core/email/notification")
    assert closing in opening.subject, opening.subject
    assert_letter(
        opening,
        addressee=f"{member_a.get_full_name()} 様",
        link=reverse("subsidies:call_detail", args=[call.pk]),
        facts=(closing,),
    )
    reminder = Notification.objects.filter(user=member_a).latest("pk")
    assert closing in reminder.title, reminder.title
