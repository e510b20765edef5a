"""Permission matrix of the meetings' URLs (joined into tests/test_permission_matrix.py)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.meetings import services

from ..factories import MembershipFactory, PartnerFactory
from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases


@dataclass
class EventWorld:
    coordinator: object
    admin_a: object
    member_a: object
    admin_b: object
    partner_member: object
    event: object
    past: object
    fair: object
    registration: object
    attended: object
    material: object
    proposal: object
    application: object
    colleague: object = None
    item: object = None
    other_partner_staff: object = None


@pytest.fixture
def event_world(coordinator, org_a, admin_a, member_a, admin_b, partner, partner_member):
    now = timezone.now()
    common = {"venue": "会議室", "online_url": "", "description": "", "per_organization": 5}
    event = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="支援者交流会",
        starts_at=now + dt.timedelta(days=10),
        ends_at=now + dt.timedelta(days=10, hours=2),
        audience=["municipality"],
        capacity=20,
        registration_deadline=now + dt.timedelta(days=7),
        **common,
    )
    past = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="前回の交流会",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        audience=["municipality"],
        capacity=20,
        registration_deadline=now + dt.timedelta(minutes=30),
        **common,
    )
    fair = services.event_create(
        actor=coordinator,
        kind="fair",
        title="合同相談会",
        starts_at=now + dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=20, hours=4),
        audience=["partner"],
        capacity=40,
        registration_deadline=now + dt.timedelta(days=15),
        **common,
    )
    registration = services.register(actor=member_a, event=event)
    attended = services.register(actor=member_a, event=past)
    services.check_in(actor=coordinator, registration=attended)
    past.starts_at, past.ends_at = now - dt.timedelta(days=3), now - dt.timedelta(days=3, hours=-2)
    past.save()
    material = services.material_add(
        actor=coordinator,
        event=event,
        title="資料",
        upload=SimpleUploadedFile("slides.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    proposal = services.propose(
        actor=member_a,
        event=event,
        title="事例",
        summary="訪問支援の工夫",
        upload=SimpleUploadedFile("case.pdf", b"%PDF-1.4\n", "application/pdf"),
        file_checked=True,  # a PDF without text: the proposer confirms having checked it
    )
    application = services.exhibitor_apply(
        actor=partner_member,
        event=fair,
        organization=partner,
        staff_count=2,
        offer="紹介",
        upload=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    item = services.programme_add(actor=coordinator, event=event, kind="talk", title="講演")
    return EventWorld(
        coordinator=coordinator,
        admin_a=admin_a,
        member_a=member_a,
        admin_b=admin_b,
        partner_member=partner_member,
        event=event,
        past=past,
        fair=fair,
        registration=registration,
        attended=attended,
        material=material,
        proposal=proposal,
        application=application,
        colleague=MembershipFactory(organization=org_a).user,
        item=item,
        other_partner_staff=MembershipFactory(organization=PartnerFactory()).user,
    )


def on(name):
    return lambda w: {"pk": getattr(w, name).pk}


COORD_GET = {"right": ("coordinator", 200), "wrong_role": ("member_a", 403)}
COORD_POST = {"right": ("coordinator", 302), "wrong_role": ("member_a", 403)}

EVENT_MATRIX: dict[str, Rule] = {
    "meetings:event_list": Rule(
        "GET", right=("member_a", 200), not_applicable="the list is filtered by audience"
    ),
    "meetings:event_create": Rule("GET", not_applicable="no organisation's object", **COORD_GET),
    "meetings:event_detail": Rule(
        "GET",
        kwargs=on("event"),
        right=("member_a", 200),
        other_org=("partner_member", 404),
        not_applicable="audience decides; another audience gets 404",
    ),
    "meetings:register": Rule(
        "POST",
        kwargs=on("event"),
        right=("admin_b", 302),
        other_org=("partner_member", 404),
        data=lambda w: {"mode": "venue"},
        not_applicable="open to the whole audience",
    ),
    "meetings:event_ics": Rule(
        "GET",
        kwargs=on("event"),
        right=("member_a", 200),
        other_org=("partner_member", 404),
        not_applicable="open to the whole audience",
    ),
    "meetings:attendance": Rule("GET", kwargs=on("event"), not_applicable="coordinators only", **COORD_GET),
    "meetings:attendance_pdf": Rule(
        "GET", kwargs=on("event"), not_applicable="coordinators only", **COORD_GET
    ),
    "meetings:material_add": Rule(
        "POST",
        kwargs=on("event"),
        data=lambda w: {
            "material-title": "資料",
            "material-file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf"),
        },
        not_applicable="coordinators only",
        **COORD_POST,
    ),
    "meetings:material_download": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.event.pk, "material_pk": w.material.pk},
        right=("member_a", 200),
        wrong_role=("admin_a", 403),
        other_org=("partner_member", 404),
    ),
    "meetings:propose": Rule(
        "POST",
        kwargs=on("event"),
        right=("member_a", 302),
        other_org=("partner_member", 404),
        data=lambda w: {"title": "t", "summary": "s"},
        not_applicable="attendees only",
    ),
    "meetings:exhibitor_apply": Rule(
        "POST",
        kwargs=on("fair"),
        right=("other_partner_staff", 302),
        other_org=("member_a", 404),
        data=lambda w: {"staff_count": 1, "offer": "x"},
        not_applicable="partner organisations only",
    ),
    "meetings:fair_public": Rule(
        "GET", kwargs=on("fair"), right=("member_a", 200), anonymous=200, not_applicable="public page"
    ),
    "meetings:registration_cancel": Rule(
        "POST",
        kwargs=on("registration"),
        right=("member_a", 302),
        wrong_role=("colleague", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:offer_accept": Rule(
        "POST",
        kwargs=on("registration"),
        right=("member_a", 302),
        wrong_role=("admin_a", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:check_in": Rule(
        "POST",
        kwargs=on("registration"),
        right=("coordinator", 302),
        wrong_role=("admin_a", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:survey": Rule(
        "GET",
        kwargs=on("attended"),
        right=("member_a", 200),
        wrong_role=("admin_a", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:certificate": Rule(
        "GET",
        kwargs=on("attended"),
        right=("member_a", 200),
        wrong_role=("admin_a", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:proposal_select": Rule(
        "POST", kwargs=on("proposal"), not_applicable="coordinators only", **COORD_POST
    ),
    "meetings:proposal_reject": Rule(
        "POST", kwargs=on("proposal"), not_applicable="coordinators only", **COORD_POST
    ),
    "meetings:exhibitor_approve": Rule(
        "POST", kwargs=on("application"), not_applicable="coordinators only", **COORD_POST
    ),
    "meetings:event_edit": Rule("GET", kwargs=on("event"), not_applicable="coordinators only", **COORD_GET),
    "meetings:event_cancel": Rule(
        "POST",
        kwargs=on("event"),
        data=lambda w: {"confirmed": "1"},
        not_applicable="coordinators only",
        **COORD_POST,
    ),
    "meetings:programme_add": Rule(
        "POST",
        kwargs=on("event"),
        data=lambda w: {"kind": "talk", "title": "t"},
        not_applicable="coordinators only",
        **COORD_POST,
    ),
    "meetings:programme_remove": Rule(
        "POST", kwargs=on("item"), not_applicable="coordinators only", **COORD_POST
    ),
    "meetings:proposal_file": Rule(
        "GET",
        kwargs=on("proposal"),
        right=("member_a", 200),
        wrong_role=("colleague", 403),
        other_org=("admin_b", 404),
    ),
    "meetings:exhibitor_file": Rule(
        "GET",
        kwargs=on("application"),
        right=("partner_member", 200),
        other_org=("member_a", 404),
        not_applicable="the organisation and coordinators",
    ),
    "meetings:exhibitor_decline": Rule(
        "POST", kwargs=on("application"), not_applicable="coordinators only", **COORD_POST
    ),
}

CASES = matrix_cases(EVENT_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_event_permission_matrix(client, event_world, name, case):
    check_rule(client, event_world, EVENT_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in EVENT_MATRIX.items() if r.method == "GET"])
def test_event_pages_get_never_changes_state(client, event_world, name):
    check_get_is_safe(client, event_world, EVENT_MATRIX[name], name)


@pytest.mark.django_db
def test_event_list_and_attendance_query_counts(coordinator, org_a, client):
    from ..queries import assert_flat

    now = timezone.now()
    event = services.event_create(
        actor=coordinator,
        kind="supporters",
        title="交流会",
        starts_at=now + dt.timedelta(days=9),
        ends_at=now + dt.timedelta(days=9, hours=2),
        venue="",
        online_url="",
        audience=["municipality"],
        capacity=500,
        per_organization=500,
        registration_deadline=now + dt.timedelta(days=5),
        description="",
    )
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            services.register(actor=MembershipFactory(organization=org_a).user, event=event)

    assert_flat(client, reverse("meetings:attendance", args=[event.pk]), add)
    assert_flat(
        client,
        reverse("meetings:event_list"),
        lambda n: [
            services.event_create(
                actor=coordinator,
                kind="partners",
                title="交流会",
                starts_at=now + dt.timedelta(days=9),
                ends_at=now + dt.timedelta(days=9, hours=1),
                venue="",
                online_url="",
                audience=["partner"],
                capacity=5,
                per_organization=5,
                registration_deadline=now + dt.timedelta(days=5),
                description="",
            )
            for _ in range(n)
        ],
    )
