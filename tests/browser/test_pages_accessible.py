"""axe-core over the portal's main pages, as the people who use them, with the demo data."""

import io
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from portal.casereviews.models import Case, Meeting
from portal.guidebook.models import Edition, Material, Section
from portal.meetings.models import Event
from portal.municipalities.models import ExchangeSession, HearingSheet, Programme
from portal.partners.models import Consultation
from portal.training.models import Session as TrainingSession
from portal.training.models import VideoModule

from .axe import assert_accessible


def _seed_demo():
    """The demo's past meeting closes its registration at 23:00 today (portal/meetings/demo.py); seed
    it in the morning so these pages load at any hour, as the screen-conventions walk does."""
    morning = timezone.localtime().replace(hour=10, minute=0)
    with time_machine.travel(morning, tick=True):
        call_command("seed_demo", stdout=io.StringIO())


pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, email, totp=False):
    page.goto(base + "/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if totp:
        page.get_by_label("コード").fill(
            format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
        )
        page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("こんにちは")


def test_coordinator_pages(page, live_server):
    _seed_demo()
    base = live_server.url
    sign_in(page, base, "coordinator@example.jp", totp=True)
    programme = Programme.objects.order_by("-fiscal_year").first()
    sheet = HearingSheet.objects.filter(status="submitted").order_by("-programme__fiscal_year").first()
    pages = [
        "/",
        "/organisations/",
        f"/organisations/{sheet.organization_id}/",
        "/experts/",
        "/audit/",
        "/outbox/",
        "/notifications/",
        "/calendar/",
        "/programmes/",
        f"/programmes/{programme.pk}/",
        f"/programmes/{programme.pk}/board/",
        f"/programmes/{programme.pk}/questions/",
        "/sheets/",
        f"/sheets/{sheet.pk}/",
        f"/sheets/{sheet.pk}/compare/",
        f"/exchanges/{ExchangeSession.objects.first().pk}/",
        "/windows/status/",
        "/cases/",
        f"/cases/{Case.objects.filter(status='scheduled').first().pk}/",
        f"/cases/{Case.objects.filter(status='scheduled').first().pk}/advice/",
        "/meetings/",
        f"/meetings/{Meeting.objects.filter(cases__isnull=False).first().pk}/",
        "/talent-bank/requests/",
        f"/talent-bank/requests/{Consultation.objects.filter(status='requested').first().pk}/",
        "/events/",
        f"/events/{Event.objects.filter(kind='supporters').first().pk}/",
        f"/events/{Event.objects.filter(kind='supporters').first().pk}/attendance/",
        "/training/",
        f"/training/courses/{TrainingSession.objects.first().course_id}/",
        f"/training/courses/{TrainingSession.objects.first().course_id}/sessions/new/",
        f"/training/sessions/{TrainingSession.objects.order_by('-pk').first().pk}/",
        f"/training/sessions/{TrainingSession.objects.order_by('-pk').first().pk}/roster/",
        f"/training/modules/{VideoModule.objects.first().pk}/",
        "/training/courses/new/",
        "/guidebook/new/",
        f"/guidebook/sections/{Section.objects.first().pk}/",
        "/materials/new/",
        "/materials/stats/",
        f"/materials/{Material.objects.first().pk}/",
    ]
    for path in pages:
        page.goto(base + path)
        assert_accessible(page)


def test_partner_and_public_pages(page, live_server):
    _seed_demo()
    base = live_server.url
    for path in ["/windows/", "/guidebook/", "/materials/", f"/guidebook/{Edition.objects.first().pk}/"]:
        page.goto(base + path)
        assert_accessible(page)
    page.goto(base + f"/fairs/{Event.objects.get(kind='fair').pk}/")
    assert_accessible(page)
    sign_in(page, base, "npo-a@example.jp")
    for path in [
        "/",
        "/talent-bank/slots/",
        "/talent-bank/requests/",
        "/talent-bank/requests/new/",
        f"/talent-bank/requests/{Consultation.objects.filter(status='completed').first().pk}/",
        "/events/",
        f"/events/{Event.objects.get(kind='partners').pk}/",
        "/training/",
        "/training/transcript/",
        "/materials/",
    ]:
        page.goto(base + path)
        assert_accessible(page)


def test_municipal_and_expert_pages(browser, live_server):
    _seed_demo()
    base = live_server.url
    draft = HearingSheet.objects.get(status="draft")
    scheduled = Case.objects.filter(status="scheduled").first()
    for email, totp, paths in [
        (
            "bunkyo@example.jp",
            False,
            [
                "/",
                f"/sheets/{draft.pk}/edit/",
                "/windows/mine/",
                "/windows/new/",
                "/cases/",
                "/cases/new/",
                "/events/",
                "/programmes/",
                "/training/",
                "/training/transcript/",
            ],
        ),
        (
            "psychiatrist@example.jp",
            True,
            ["/", "/cases/", f"/cases/{scheduled.pk}/", f"/cases/{scheduled.pk}/advice/", "/meetings/"],
        ),
        ("lawyer@example.jp", True, ["/", "/talent-bank/requests/", "/talent-bank/availability/"]),
    ]:
        context = browser.new_context(locale="ja-JP")
        page = context.new_page()
        sign_in(page, base, email, totp=totp)
        for path in paths:
            page.goto(base + path)
            assert_accessible(page)
        context.close()
