"""Permission matrix of the outreach URLs (joined into tests/test_permission_matrix.py)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.outreach import services

from ..core.test_pdfs import weasyprint_errors  # noqa: F401, F811 (a pytest fixture used by name)
from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import agree, book, plan_year, refer


@dataclass
class OutreachWorld:
    coordinator: object
    member_a: object
    admin_b: object
    partner_member: object
    proposed: object
    published: object
    booking: object
    referral: object
    referral_info: object
    referral_interview: object


@pytest.fixture
def outreach_world(coordinator, org_a, member_a, admin_b, partner_member):
    plan = services.plan_create(actor=coordinator, fiscal_year=plan_year())
    published = services.host_add(
        actor=coordinator,
        plan=plan,
        organization=org_a,
        dates=[dt.date(plan_year(), 6, 10), dt.date(plan_year(), 6, 17)],
    )
    published = services.host_publish(actor=coordinator, host=agree(published, member_a))
    later = services.plan_create(actor=coordinator, fiscal_year=plan_year() + 1)
    proposed = services.host_add(
        actor=coordinator,
        plan=later,
        organization=org_a,
        dates=[dt.date(plan_year() + 1, 6, 10), dt.date(plan_year() + 1, 6, 17)],
    )
    day = published.days.order_by("date").first()
    booking = book(member_a, org_a, day, day.slots.first())
    info = services.referral_triage(
        actor=coordinator, referral=refer(member_a, org_a), decision="more", note="追記を"
    )
    interview = services.referral_triage(
        actor=coordinator, referral=refer(member_a, org_a), decision="accept"
    )
    interview = services.referral_schedule_interview(
        actor=coordinator, referral=interview, starts_at=timezone.now() + dt.timedelta(days=2), place="区役所"
    )
    for u in (coordinator, member_a, admin_b, partner_member):
        u.__dict__.pop("_portal_perm_cache", None)
    return OutreachWorld(
        coordinator=coordinator,
        member_a=member_a,
        admin_b=admin_b,
        partner_member=partner_member,
        proposed=proposed,
        published=published,
        booking=booking,
        referral=refer(member_a, org_a),
        referral_info=info,
        referral_interview=interview,
    )


def host(attr="proposed"):
    return lambda w: {"pk": getattr(w, attr).pk}


def day_of(attr):
    return lambda w: {"pk": getattr(w, attr).days.order_by("date").first().pk}


def on(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


MUNICIPAL_READ = {
    "right": ("member_a", 200),
    "other_org": ("admin_b", 404),
    "wrong_role": ("partner_member", 403),
}
COORD_POST = {"right": ("coordinator", 302), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}
COORD_GET = {"right": ("coordinator", 200), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}
LIST = {"right": ("member_a", 200), "wrong_role": ("partner_member", 403)}

OUTREACH_MATRIX: dict[str, Rule] = {
    "outreach:public_days": Rule(
        "GET", right=("member_a", 200), anonymous=200, not_applicable="the public page of published days"
    ),
    "outreach:host_list": Rule("GET", **LIST, not_applicable="the list shows only what one may see"),
    "outreach:plan_edit": Rule(
        "GET", right=("coordinator", 200), wrong_role=("member_a", 403), not_applicable="coordinators only"
    ),
    "outreach:summary_xlsx": Rule(
        "GET", **LIST, not_applicable="a municipality's file holds its own rows only"
    ),
    "outreach:host_detail": Rule("GET", kwargs=host(), **MUNICIPAL_READ),
    "outreach:host_edit": Rule("GET", kwargs=host(), **MUNICIPAL_READ),
    "outreach:host_publish": Rule("GET", kwargs=host(), **COORD_GET),
    "outreach:host_held": Rule("POST", kwargs=host(), **COORD_POST),
    "outreach:host_report": Rule("POST", kwargs=host(), **COORD_POST),
    "outreach:host_flyer": Rule(
        "GET",
        kwargs=host("published"),
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="a published flyer is for every municipality to post",
    ),
    "outreach:day_edit": Rule("GET", kwargs=day_of("proposed"), **COORD_GET),
    "outreach:day_ics": Rule("GET", kwargs=day_of("proposed"), **MUNICIPAL_READ),
    "outreach:booking_create": Rule(
        "GET",
        kwargs=day_of("published"),
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="every municipality books on a published day",
    ),
    "outreach:booking_list": Rule("GET", **LIST, not_applicable="the list shows only one's own bookings"),
    "outreach:booking_detail": Rule("GET", kwargs=on("booking"), **MUNICIPAL_READ),
    "outreach:booking_cancel": Rule("GET", kwargs=on("booking"), **MUNICIPAL_READ),
    "outreach:booking_record": Rule(
        "POST", kwargs=on("booking"), data=lambda w: {"outcome": "held"}, **COORD_POST
    ),
    "outreach:referral_list": Rule("GET", **LIST, not_applicable="the list shows only one's own referrals"),
    "outreach:referral_create": Rule("GET", **LIST, not_applicable="always for one's own municipality"),
    "outreach:referral_statistics": Rule(
        "GET", right=("coordinator", 200), wrong_role=("member_a", 403), not_applicable="coordinators only"
    ),
    "outreach:referral_detail": Rule("GET", kwargs=on("referral"), **MUNICIPAL_READ),
    "outreach:referral_edit": Rule(
        "GET",
        kwargs=on("referral_info"),
        right=("member_a", 200),
        wrong_role=("coordinator", 403),
        other_org=("admin_b", 404),
    ),
    "outreach:referral_triage": Rule(
        "POST", kwargs=on("referral"), data=lambda w: {"decision": "accept"}, **COORD_POST
    ),
    "outreach:referral_interview": Rule(
        "POST",
        kwargs=on("referral_interview"),
        data=lambda w: {
            "date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
            "time": "14:00",
            "place": "区役所",
        },
        **COORD_POST,
    ),
    "outreach:referral_interview_ics": Rule("GET", kwargs=on("referral_interview"), **MUNICIPAL_READ),
    "outreach:referral_outcome": Rule(
        "POST", kwargs=on("referral_interview"), data=lambda w: {"visit": "1", "note": "面接"}, **COORD_POST
    ),
    "outreach:visit_add": Rule("POST", kwargs=on("referral_interview"), **COORD_POST),
    "outreach:referral_extend": Rule(
        "POST", kwargs=on("referral_interview"), data=lambda w: {"reason": "継続"}, **COORD_POST
    ),
    "outreach:referral_close": Rule("GET", kwargs=on("referral_interview"), **COORD_GET),
}

CASES = matrix_cases(OUTREACH_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_outreach_permission_matrix(client, outreach_world, name, case):
    check_rule(client, outreach_world, OUTREACH_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in OUTREACH_MATRIX.items() if r.method == "GET"])
def test_outreach_pages_get_never_changes_state(client, outreach_world, name):
    check_get_is_safe(client, outreach_world, OUTREACH_MATRIX[name], name)


# --- lists: which rows another organisation's user sees ------------------------------------------------


def test_host_list_shows_another_municipality_only_the_published_host(client, outreach_world):
    client.force_login(outreach_world.admin_b)
    html = client.get(reverse("outreach:host_list")).content.decode()
    assert reverse("outreach:host_detail", args=[outreach_world.published.pk]) in html
    assert reverse("outreach:host_detail", args=[outreach_world.proposed.pk]) not in html


def test_booking_and_referral_lists_show_another_municipality_nothing(client, outreach_world):
    client.force_login(outreach_world.admin_b)
    bookings = client.get(reverse("outreach:booking_list")).content.decode()
    referrals = client.get(reverse("outreach:referral_list")).content.decode()
    assert reverse("outreach:booking_detail", args=[outreach_world.booking.pk]) not in bookings
    assert outreach_world.referral.reference not in referrals
    assert outreach_world.booking.initial not in bookings


def test_the_host_day_shows_another_municipalitys_booking_as_taken_only(
    client, outreach_world, admin_b, org_b
):
    from .conftest import book as book_

    day = outreach_world.published.days.order_by("date").first()
    theirs = book_(admin_b, org_b, day, day.slots.all()[1], initial="Zさん")
    client.force_login(outreach_world.member_a)
    html = client.get(reverse("outreach:host_detail", args=[outreach_world.published.pk])).content.decode()
    assert "Zさん" not in html and reverse("outreach:booking_detail", args=[theirs.pk]) not in html
    assert reverse("outreach:booking_detail", args=[outreach_world.booking.pk]) in html


def test_summary_of_a_municipality_holds_its_own_rows_only(client, outreach_world, admin_b):
    import io

    from openpyxl import load_workbook

    client.force_login(admin_b)
    response = client.get(reverse("outreach:summary_xlsx") + f"?fiscal_year={plan_year()}")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 1  # the header only: 乙区 hosts nothing
    client.force_login(outreach_world.coordinator)
    response = client.get(reverse("outreach:summary_xlsx") + f"?fiscal_year={plan_year()}")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][0] == outreach_world.published.organization.name and rows[1][3] == 1


def test_referral_detail_is_audited(client, outreach_world):
    from portal.core.models import AuditEvent

    client.force_login(outreach_world.member_a)
    client.get(reverse("outreach:referral_detail", args=[outreach_world.referral.pk]))
    assert AuditEvent.objects.filter(
        action="visit_referral.view", object_id=str(outreach_world.referral.pk)
    ).exists()


def test_flyer_is_a_tagged_japanese_pdf(client, outreach_world, weasyprint_errors):  # noqa: F811 (fixture)
    from ..core.test_pdfs import assert_accessible

    client.force_login(outreach_world.member_a)
    response = client.get(reverse("outreach:host_flyer", args=[outreach_world.published.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert_accessible(response.content, title="巡回相談のご案内（甲市）", errors=weasyprint_errors)
