"""Permission matrix of メール相談 and 相談記録 (joined into tests/test_permission_matrix.py).

Residents are an identity of their own: staff pages are checked as every other area's (anonymous /
staff without the counsellor role / counsellor), resident pages with the resident's own session
(anonymous → the residents' sign-in, another resident → 404, staff → the residents' sign-in)."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from portal.consultations import services

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import make_resident, resident_client, write

PUBLIC = "public mail consultation page"
RESIDENT = "resident area: the resident's own session, never a staff identity (see the resident checks)"


@dataclass
class ConsultationWorld:
    counsellor: object
    coordinator: object
    admin_a: object
    member_a: object
    resident: object
    other_resident: object
    thread: object
    record: object
    template: object


@pytest.fixture
def consultation_world(counsellor, coordinator, admin_a, member_a):
    resident = make_resident()
    other = make_resident(nickname="うみ", email="umi@example.jp")
    thread = write(resident)
    return ConsultationWorld(
        counsellor=counsellor,
        coordinator=coordinator,
        admin_a=admin_a,
        member_a=member_a,
        resident=resident,
        other_resident=other,
        thread=thread,
        record=thread.record,
        template=services.template_save(
            actor=counsellor, template=None, title="お礼", body="ありがとうございます", is_active=True
        ),
    )


def on(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


SECRETARIAT = "the secretariat's own consultation service: no organisation owns these rows"
STAFF_GET = {"right": ("counsellor", 200), "wrong_role": ("admin_a", 403)}
STAFF_POST = {"right": ("counsellor", 302), "wrong_role": ("admin_a", 403)}

STAFF_MATRIX: dict[str, Rule] = {
    "consultations:inbox": Rule(
        "GET",
        **STAFF_GET,
        not_applicable=SECRETARIAT,
        rows=(("counsellor", lambda w: w.thread.reference, ""),),
    ),
    "consultations:thread_detail": Rule("GET", kwargs=on("thread"), **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:thread_assign": Rule(
        "POST",
        kwargs=on("thread"),
        data=lambda w: {"assign-counsellor": w.counsellor.pk},
        **STAFF_POST,
        not_applicable=SECRETARIAT,
    ),
    "consultations:thread_draft": Rule(
        "POST",
        kwargs=on("thread"),
        data=lambda w: {"draft-body": "下書き", "draft-version": 1, "action": "save"},
        **STAFF_POST,
        not_applicable=SECRETARIAT,
    ),
    "consultations:thread_note": Rule(
        "POST",
        kwargs=on("thread"),
        data=lambda w: {"note-body": "メモ"},
        **STAFF_POST,
        not_applicable=SECRETARIAT,
    ),
    "consultations:thread_close": Rule("GET", kwargs=on("thread"), **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:template_list": Rule("GET", **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:template_create": Rule("GET", **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:template_edit": Rule(
        "GET", kwargs=on("template"), **STAFF_GET, not_applicable=SECRETARIAT
    ),
    "consultations:record_list": Rule(
        "GET",
        **STAFF_GET,
        not_applicable=SECRETARIAT,
        rows=(("counsellor", lambda w: w.record.reference, ""),),
    ),
    "consultations:record_create": Rule("GET", **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:record_detail": Rule("GET", kwargs=on("record"), **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:record_edit": Rule("GET", kwargs=on("record"), **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:statistics": Rule("GET", **STAFF_GET, not_applicable=SECRETARIAT),
    "consultations:statistics_xlsx": Rule("GET", **STAFF_GET, not_applicable=SECRETARIAT),
}

# Resident pages: (kwargs, status for anonymous, status for the signed-in resident, for another resident)
PUBLIC_PAGES = {
    "consultations:about": {},
    "consultations:register": {},
    "consultations:sign_in": {},
    "consultations:reset": {},
}
TOKEN_PAGES = ("consultations:register_confirm", "consultations:reset_confirm")
RESIDENT_PAGES = {
    "consultations:my_page": lambda w: {},
    "consultations:thread_new": lambda w: {},
    "consultations:my_thread": on("thread"),
    "consultations:profile": lambda w: {},
    "consultations:leave": lambda w: {},
}

RESIDENT_MATRIX: dict[str, Rule] = {
    **{
        name: Rule("GET", right=("resident", 200), anonymous=200, not_applicable=PUBLIC)
        for name in PUBLIC_PAGES
    },
    "consultations:sign_out": Rule("POST", right=("resident", 302), anonymous=302, not_applicable=RESIDENT),
    "consultations:welcome": Rule("GET", right=("resident", 302), not_applicable=RESIDENT),
    **{name: Rule("GET", right=("resident", 410), anonymous=410, not_applicable="the token is the permission")
       for name in TOKEN_PAGES},
    **{name: Rule("GET", right=("resident", 200), kwargs=kwargs, not_applicable=RESIDENT)
       for name, kwargs in RESIDENT_PAGES.items()},
}  # fmt: skip

CONSULTATION_MATRIX: dict[str, Rule] = {**STAFF_MATRIX, **RESIDENT_MATRIX}

CASES = matrix_cases(STAFF_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_consultation_staff_permission_matrix(client, consultation_world, name, case):
    check_rule(client, consultation_world, STAFF_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in STAFF_MATRIX.items() if r.method == "GET"])
def test_consultation_staff_pages_get_never_changes_state(client, consultation_world, name):
    check_get_is_safe(client, consultation_world, STAFF_MATRIX[name], name)


@pytest.mark.parametrize("name", sorted(RESIDENT_PAGES))
def test_resident_pages_answer_anonymous_and_staff_with_the_resident_sign_in(
    client, consultation_world, name
):
    url = reverse(name, kwargs=RESIDENT_PAGES[name](consultation_world))
    for actor in (None, "coordinator", "counsellor", "admin_a"):
        c = Client()
        if actor:
            c.force_login(getattr(consultation_world, actor))
        response = c.get(url)
        assert response.status_code == 302, (name, actor)
        assert response.url.startswith(reverse("consultations:sign_in")), (name, actor)


@pytest.mark.parametrize("name", sorted(RESIDENT_PAGES))
def test_resident_pages_answer_the_resident(consultation_world, name):
    url = reverse(name, kwargs=RESIDENT_PAGES[name](consultation_world))
    assert resident_client(consultation_world.resident).get(url).status_code == 200


def test_another_resident_gets_404_for_a_thread(consultation_world):
    url = reverse("consultations:my_thread", kwargs={"pk": consultation_world.thread.pk})
    assert resident_client(consultation_world.other_resident).get(url).status_code == 404


@pytest.mark.parametrize("name", sorted(STAFF_MATRIX))
def test_a_resident_never_reaches_a_staff_page(consultation_world, name):
    rule = STAFF_MATRIX[name]
    c = resident_client(consultation_world.resident)
    url = reverse(name, kwargs=rule.kwargs(consultation_world))
    response = c.post(url, rule.data(consultation_world)) if rule.method == "POST" else c.get(url)
    assert response.status_code == 302, name
    assert response.url.startswith(reverse("account_login")), name


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_public_mail_consultation_pages_are_open(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", TOKEN_PAGES)
def test_a_made_up_token_is_refused(client, db, name):
    assert client.get(reverse(name, kwargs={"token": "made-up"})).status_code == 410


def test_the_records_list_is_for_counsellors_only_and_shows_no_rows_to_others(client, consultation_world):
    client.force_login(consultation_world.member_a)
    response = client.get(reverse("consultations:record_list"))
    assert response.status_code == 403
    assert consultation_world.record.reference not in response.content.decode()
