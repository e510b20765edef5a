"""Blind review: experts read the case without the submitting municipality's name or its staff
names, in pages, the advice PDF, emails, notifications and calendar files; coordinators and the
municipality itself always see them."""

import datetime as dt
import re
import shutil
import subprocess
import tempfile

import pytest
from django.urls import reverse

from portal.casereviews import services
from portal.casereviews.models import Case
from portal.core import feeds
from portal.core.calendars import build_ics
from portal.core.models import AuditEvent, Notification, OutboundEmail

from .conftest import CLEAN_CASE, submitted_case

HIDDEN = "区市町村（非表示）"
STAFF = "丙山担当者"


def _fresh(user):
    user.__dict__.pop("_portal_perm_cache", None)
    user.refresh_from_db()
    return user


@pytest.fixture
def named_staff(member_a):
    member_a.display_name = STAFF
    member_a.save(update_fields=["display_name"])
    return member_a


def _pdf_text(content: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    return text.replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_blind_case_shows_experts_no_municipality_or_staff_name_on_pages(
    client, coordinator, org_a, named_staff, panel_expert, meeting
):
    case = services.case_accept(
        actor=coordinator,
        case=submitted_case(
            org_a, named_staff, blind_review=True, history=f"{org_a.name}の窓口に母が通っている。"
        ),
    )
    case = services.case_schedule(actor=coordinator, case=case, meeting=meeting)
    client.force_login(_fresh(panel_expert))

    pages = {
        "list": reverse("casereviews:case_list"),
        "detail": reverse("casereviews:case_detail", args=[case.pk]),
        "agenda": reverse("casereviews:meeting_detail", args=[meeting.pk]),
        "dashboard": reverse("core:dashboard"),
        "advice": reverse("casereviews:advice_edit", args=[case.pk]),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert org_a.name not in page, name
        assert STAFF not in page, name
        if name in ("list", "detail", "agenda"):
            assert HIDDEN in page and case.reference in page, name

    client.force_login(coordinator)
    for name in ("list", "detail", "agenda"):
        page = client.get(pages[name]).content.decode()
        assert org_a.name in page and HIDDEN not in page, name
    assert STAFF in client.get(pages["detail"]).content.decode()
    client.force_login(named_staff)
    assert org_a.name in client.get(pages["detail"]).content.decode()


@pytest.mark.django_db
def test_case_without_blind_review_shows_experts_the_municipality(
    client, coordinator, org_a, named_staff, panel_expert, meeting
):
    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, named_staff))
    services.case_schedule(actor=coordinator, case=case, meeting=meeting)
    client.force_login(_fresh(panel_expert))

    page = client.get(reverse("casereviews:case_detail", args=[case.pk])).content.decode()

    assert org_a.name in page and HIDDEN not in page


@pytest.mark.django_db
def test_blind_advice_pdf_names_no_municipality_for_the_expert(
    client, coordinator, org_a, named_staff, other_expert
):
    case = services.case_assign_adhoc(
        actor=coordinator,
        case=submitted_case(org_a, named_staff, blind_review=True),
        expert=other_expert,
    )
    services.advice_save(
        actor=_fresh(other_expert), case=case, content={"legal": "法的な整理"}, based_on_version=0
    )
    services.advice_save(
        actor=coordinator,
        case=case,
        content={"summary": f"{org_a.name}の窓口で母との面談を続ける。"},
        based_on_version=1,
    )
    services.advice_issue(actor=coordinator, case=case)
    url = reverse("casereviews:advice_pdf", args=[case.pk])

    client.force_login(_fresh(other_expert))
    expert_text = _pdf_text(client.get(url).content)
    client.force_login(named_staff)
    municipal_text = _pdf_text(client.get(url).content)

    assert case.reference in expert_text and HIDDEN in expert_text
    assert org_a.name not in expert_text and STAFF not in expert_text
    assert org_a.name in municipal_text


@pytest.mark.django_db
def test_blind_case_reaches_experts_by_email_notification_and_calendar_without_names(
    coordinator, org_a, named_staff, panel_expert, other_expert, meeting
):
    """Every message an expert gets about a blind case, through its whole life: scheduling, a
    changed meeting, reminders, an ad-hoc consultation, the issued advice, and the calendar feed."""
    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, named_staff, blind_review=True))
    case = services.case_schedule(actor=coordinator, case=case, meeting=meeting)
    services.attendance_respond(actor=named_staff, case=case, attend=True)
    meeting.refresh_from_db()
    moved = meeting.starts_at + dt.timedelta(days=7)
    while moved.weekday() != meeting.starts_at.weekday() or not services.is_business_day(moved.date()):
        moved += dt.timedelta(days=7)
    services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        based_on_version=meeting.version,
        starts_at=moved,
        venue="別の会議室",
        online_url="",
        capacity=meeting.capacity,
        panel=[panel_expert],
    )
    services.send_meeting_reminders(today=moved.date() - dt.timedelta(days=1))
    adhoc = services.case_assign_adhoc(
        actor=coordinator,
        case=submitted_case(org_a, named_staff, blind_review=True),
        expert=other_expert,
    )
    services.advice_save(
        actor=_fresh(other_expert), case=adhoc, content={"legal": "法的な整理"}, based_on_version=0
    )
    services.advice_save(actor=coordinator, case=adhoc, content={"summary": "助言"}, based_on_version=1)
    services.advice_issue(actor=coordinator, case=adhoc)

    experts = [panel_expert, other_expert]
    mails = list(OutboundEmail.objects.filter(recipient__in=experts))
    notes = list(Notification.objects.filter(user__in=experts))
    assert mails and notes
    assert any(m.attachments for m in mails)  # the changed meeting's calendar file
    seen = "".join(
        m.subject + m.body_text + m.body_html + "".join(a["content"] for a in m.attachments) for m in mails
    ) + "".join(n.title + n.body for n in notes)
    seen += "".join(build_ics(*feeds.events_for(_fresh(e))) for e in experts)
    assert org_a.name not in seen
    assert STAFF not in seen
    # the municipality itself was told, by name (the test would pass vacuously otherwise)
    assert OutboundEmail.objects.filter(recipient=named_staff).exists()


@pytest.mark.django_db
def test_municipality_default_chooses_blind_review_for_new_cases(
    client, org_a, org_b, admin_a, member_a, admin_b
):
    client.force_login(admin_a)
    response = client.post(reverse("casereviews:blind_review_default"), {"blind": "on"})
    assert response.status_code == 302

    client.force_login(member_a)
    form = client.get(reverse("casereviews:case_create")).content.decode()
    own = services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE)
    other = services.case_create(actor=admin_b, organization=org_b, data=CLEAN_CASE)
    chosen = services.case_create(
        actor=member_a, organization=org_a, data={**CLEAN_CASE, "blind_review": False}
    )

    (checkbox,) = re.findall(r"<input[^>]*name=\"blind_review\"[^>]*>", form)
    assert "checked" in checkbox
    assert own.blind_review is True and other.blind_review is False and chosen.blind_review is False
    event = AuditEvent.objects.get(action="case.blind_default")
    assert event.details == {"blind": True} and event.organization_id == org_a.pk


@pytest.mark.django_db
def test_blind_review_default_is_for_the_municipality_admins(client, member_a):
    client.force_login(member_a)

    assert client.post(reverse("casereviews:blind_review_default"), {"blind": "on"}).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_expert_cannot_find_a_blind_case_s_municipality_by_filtering(
    client, coordinator, org_a, org_b, member_a, admin_b, panel_expert, meeting
):
    blind = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a, blind_review=True))
    blind = services.case_schedule(actor=coordinator, case=blind, meeting=meeting)
    open_case = services.case_accept(actor=coordinator, case=submitted_case(org_b, admin_b))
    open_case = services.case_schedule(actor=coordinator, case=open_case, meeting=meeting)
    client.force_login(_fresh(panel_expert))

    by_b = client.get(reverse("casereviews:case_list"), {"organization": org_b.pk}).content.decode()
    by_a = client.get(reverse("casereviews:case_list"), {"organization": org_a.pk}).content.decode()

    # the filter is not offered to experts and the parameter changes nothing
    assert blind.reference in by_a and blind.reference in by_b
    assert open_case.reference in by_a and open_case.reference in by_b
    assert 'name="organization"' not in by_a
    assert org_a.name not in by_a
