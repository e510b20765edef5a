"""Permission matrix of the start-up subsidy's URLs (joined into tests/test_permission_matrix.py)."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from portal.subsidies import services

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import draft, granted, make_call, pdf_upload, reported, submitted


@dataclass
class SubsidyWorld:
    coordinator: object
    member_a: object
    admin_b: object
    partner_member: object
    call: object
    closed_call: object
    draft: object
    submitted: object
    granted: object
    reported: object
    document: object
    change: object
    b_draft: object


@pytest.fixture
def subsidy_world(coordinator, org_a, org_b, member_a, admin_b, partner_member):
    calls = [make_call(coordinator, year) for year in (2023, 2024, 2025, 2026)]
    unopened = make_call(coordinator, 2027, open_=False)
    d = draft(calls[3], org_a, member_a)
    document = services.document_upload(
        actor=member_a, application=d, requirement="事業計画書", upload=pdf_upload()
    )
    s = submitted(calls[2], org_a, member_a)
    g = granted(calls[1], org_a, member_a, coordinator)
    r = reported(calls[0], org_a, member_a, coordinator)
    change = services.change_request(actor=member_a, application=g, reason="変更", new_amount=None)
    b_draft = draft(calls[3], org_b, admin_b)
    return SubsidyWorld(
        coordinator=coordinator,
        member_a=member_a,
        admin_b=admin_b,
        partner_member=partner_member,
        call=calls[3],
        closed_call=unopened,
        draft=d,
        submitted=s,
        granted=g,
        reported=r,
        document=document,
        change=change,
        b_draft=b_draft,
    )


def on(state):
    return lambda w: {"pk": getattr(w, state).pk}


COORD = {"right": ("coordinator", 200), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}
COORD_POST = {**COORD, "right": ("coordinator", 302)}
READ = {"right": ("member_a", 200), "wrong_role": ("partner_member", 403), "other_org": ("admin_b", 404)}
WRITE = {"right": ("member_a", 200), "wrong_role": ("coordinator", 403), "other_org": ("admin_b", 404)}
COORD_ONLY = {
    "right": ("coordinator", 200),
    "wrong_role": ("member_a", 403),
    "not_applicable": "no organisation's object",
}

SUBSIDY_MATRIX: dict[str, Rule] = {
    "subsidies:call_list": Rule(
        "GET",
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="calls are for all municipalities",
    ),
    "subsidies:call_create": Rule("GET", **COORD_ONLY),
    "subsidies:call_detail": Rule(
        "GET",
        kwargs=on("call"),
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="a published call is read by every municipality",
    ),
    "subsidies:call_edit": Rule("GET", kwargs=on("call"), **COORD_ONLY),
    "subsidies:call_open": Rule("GET", kwargs=on("closed_call"), **COORD_ONLY),
    "subsidies:call_export": Rule("GET", kwargs=on("call"), **COORD_ONLY),
    "subsidies:call_ics": Rule(
        "GET",
        kwargs=on("call"),
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="a published call is read by every municipality",
    ),
    "subsidies:application_start": Rule(
        "POST",
        kwargs=on("call"),
        right=("member_a", 302),
        wrong_role=("partner_member", 403),
        not_applicable="always for one's own municipality",
    ),
    "subsidies:application_list": Rule(
        "GET",
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="the list shows only what one may read (rows asserted below)",
    ),
    "subsidies:application_detail": Rule("GET", kwargs=on("submitted"), **READ),
    "subsidies:application_edit": Rule("GET", kwargs=on("draft"), **WRITE),
    "subsidies:document_upload": Rule("POST", kwargs=on("draft"), **{**WRITE, "right": ("member_a", 302)}),
    "subsidies:document_download": Rule(
        "GET", kwargs=lambda w: {"pk": w.draft.pk, "document_pk": w.document.pk}, **READ
    ),
    "subsidies:application_submit": Rule("GET", kwargs=on("draft"), **WRITE),
    "subsidies:application_return": Rule(
        "POST", kwargs=on("submitted"), data=lambda w: {"plan": "開始日を確認してください"}, **COORD_POST
    ),
    "subsidies:application_decide": Rule("GET", kwargs=on("submitted"), **COORD),
    "subsidies:decision_pdf": Rule("GET", kwargs=on("granted"), **READ),
    "subsidies:change_create": Rule("GET", kwargs=on("granted"), **WRITE),
    "subsidies:change_decide": Rule(
        "POST", kwargs=on("change"), data=lambda w: {"approve": "no"}, **COORD_POST
    ),
    "subsidies:report_edit": Rule("GET", kwargs=on("granted"), **WRITE),
    "subsidies:report_submit": Rule("GET", kwargs=on("granted"), **WRITE),
    "subsidies:application_finalize": Rule("GET", kwargs=on("reported"), **COORD),
}

CASES = matrix_cases(SUBSIDY_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_subsidy_permission_matrix(client, subsidy_world, name, case):
    check_rule(client, subsidy_world, SUBSIDY_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in SUBSIDY_MATRIX.items() if r.method == "GET"])
def test_subsidy_pages_get_never_changes_state(client, subsidy_world, name):
    check_get_is_safe(client, subsidy_world, SUBSIDY_MATRIX[name], name)


def _rows(response):
    return response.content.decode()


def test_application_list_shows_another_municipality_only_its_own(client, subsidy_world):
    w = subsidy_world
    client.force_login(w.admin_b)
    page = _rows(client.get(reverse("subsidies:application_list")))
    assert reverse("subsidies:application_detail", args=[w.b_draft.pk]) in page
    for a in (w.draft, w.submitted, w.granted, w.reported):
        assert reverse("subsidies:application_detail", args=[a.pk]) not in page


def test_application_list_shows_the_coordinator_every_application(client, subsidy_world):
    w = subsidy_world
    client.force_login(w.coordinator)
    page = _rows(client.get(reverse("subsidies:application_list")))
    for a in (w.draft, w.submitted, w.granted, w.reported, w.b_draft):
        assert reverse("subsidies:application_detail", args=[a.pk]) in page


def test_unopened_call_is_hidden_from_municipalities(client, subsidy_world):
    w = subsidy_world
    client.force_login(w.member_a)
    assert client.get(reverse("subsidies:call_detail", args=[w.closed_call.pk])).status_code == 404
    page = _rows(client.get(reverse("subsidies:call_list")))
    assert reverse("subsidies:call_detail", args=[w.closed_call.pk]) not in page
    assert reverse("subsidies:call_detail", args=[w.call.pk]) in page
