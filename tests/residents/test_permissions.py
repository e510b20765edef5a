"""Permission matrix of the residents' URLs (joined into tests/test_permission_matrix.py).

Applications belong to no organisation: only the secretariat sees them. A municipality's or a
partner's member gets 403 on every secretariat page, and the lists show them nothing."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from portal.residents import links, services
from portal.residents.models import Page

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import apply, apply_seminar


@dataclass
class ResidentsWorld:
    coordinator: object
    member_a: object
    admin_b: object
    partner_member: object
    application: object
    seminar: object
    seat: object
    day: object
    token: str
    peer_slot: object
    peer_booking: object


@pytest.fixture
def residents_world(coordinator, member_a, admin_b, partner_member, day, seminar):
    for kind, title in Page.Kind.choices:
        services.page_create(kind=kind, title=str(title), lead="", body="本文", publish_from=day.created_at)
    application = apply(day.slots.all()[:1])
    seat_app = apply_seminar([seminar])
    peer_days = services.peer_schedule_create(actor=coordinator, fiscal_year=day.fiscal_year + 1)
    peer_slots = list(peer_days[0].slots.all())
    peer_booking = services.peer_book(
        actor=coordinator, slot=peer_slots[0], data={"nickname": "Aさん", "mode": "phone"}
    )
    for u in (coordinator, member_a, admin_b, partner_member):
        u.__dict__.pop("_portal_perm_cache", None)
    return ResidentsWorld(
        coordinator=coordinator,
        member_a=member_a,
        admin_b=admin_b,
        partner_member=partner_member,
        application=application,
        seminar=seminar,
        seat=seat_app.seats.get(),
        day=day,
        token=links.make_token(application),
        peer_slot=peer_slots[1],
        peer_booking=peer_booking,
    )


PUBLIC = "a public page for residents and families: anyone, signed in or not"
SECRETARIAT = "the secretariat's own book: no organisation owns a resident's application"


def public(**kw):
    return Rule("GET", right=("member_a", 200), anonymous=200, not_applicable=PUBLIC, **kw)


def staff_get(**kw):
    return Rule(
        "GET", right=("coordinator", 200), wrong_role=("member_a", 403), not_applicable=SECRETARIAT, **kw
    )


def staff_post(**kw):
    return Rule(
        "POST", right=("coordinator", 302), wrong_role=("member_a", 403), not_applicable=SECRETARIAT, **kw
    )


def on(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def kind(w):
    return {"kind": "methods"}


RESIDENTS_MATRIX: dict[str, Rule] = {
    "residents:methods": public(),
    "residents:about": public(),
    "residents:for_person": public(),
    "residents:for_family": public(),
    "residents:examples": public(),
    "residents:events": public(),
    "residents:individual_apply": public(),
    "residents:seminar_apply": public(),
    "residents:thanks": public(),
    "residents:schedule_flyer": public(kwargs=lambda w: {"year": w.day.fiscal_year, "kind": "weekday"}),
    "residents:manage": Rule(
        "GET",
        right=("member_a", 200),
        anonymous=200,
        kwargs=lambda w: {"token": w.token},
        not_applicable="the applicant's own page: whoever holds the signed link, no account",
    ),
    "residents:application_list": staff_get(rows=(("coordinator", lambda w: w.application.reference, ""),)),
    "residents:phone_application": staff_get(),
    "residents:application_detail": staff_get(kwargs=on("application")),
    "residents:application_assign": staff_post(kwargs=on("application")),
    "residents:application_waitlist": staff_post(kwargs=on("application")),
    "residents:application_decline": staff_post(kwargs=on("application")),
    "residents:application_accept": staff_post(kwargs=on("application")),
    "residents:application_cancel": staff_get(kwargs=on("application")),
    "residents:application_attendance": staff_post(kwargs=on("application")),
    "residents:day_list": staff_get(),
    "residents:day_detail": staff_get(kwargs=on("day")),
    "residents:seminar_list": staff_get(),
    "residents:seminar_detail": staff_get(kwargs=on("seminar")),
    "residents:seat_cancel": staff_post(kwargs=on("seat")),
    "residents:seat_attendance": staff_post(kwargs=on("seat")),
    "residents:yearly_counts": staff_get(),
    "residents:peer_list": staff_get(),
    "residents:peer_book": staff_get(kwargs=on("peer_slot")),
    "residents:peer_cancel": staff_post(kwargs=on("peer_booking")),
    "residents:page_list": staff_get(),
    "residents:page_edit": staff_get(kwargs=kind),
    "residents:page_history": staff_get(kwargs=kind),
}

CASES = matrix_cases(RESIDENTS_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_residents_permission_matrix(client, residents_world, name, case):
    check_rule(client, residents_world, RESIDENTS_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in RESIDENTS_MATRIX.items() if r.method == "GET"])
def test_residents_pages_get_never_changes_state(client, residents_world, name):
    check_get_is_safe(client, residents_world, RESIDENTS_MATRIX[name], name)


def test_other_roles_see_no_application_anywhere(client, residents_world):
    for user in (residents_world.member_a, residents_world.admin_b, residents_world.partner_member):
        client.force_login(user)
        for name in ("residents:application_list", "residents:seminar_detail"):
            kwargs = {"pk": residents_world.seminar.pk} if name.endswith("detail") else {}
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 403
            assert residents_world.application.name not in response.content.decode()


def test_a_link_of_another_purpose_or_altered_opens_nothing(client, residents_world):
    from django.core import signing

    other_purpose = signing.dumps(
        {"k": "i", "a": residents_world.application.pk, "n": residents_world.application.nonce},
        salt="another.purpose",
    )
    altered = residents_world.token[:-2] + ("AA" if not residents_world.token.endswith("AA") else "BB")

    for token in (other_purpose, altered):
        assert client.get(reverse("residents:manage", args=[token])).status_code == 404
