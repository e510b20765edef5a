"""A meeting's registrations, waiting list and a fair's exhibitors as xlsx and CSV: a fixed number
of queries whatever the number of rows, the page's rows, Japanese labels, formulas neutralised."""

import pytest
from django.urls import reverse

from portal.core.models import AuditEvent
from portal.meetings import services

from ..exports import assert_flat, export
from ..factories import MembershipFactory, OrganizationFactory, PartnerFactory
from .conftest import make_event

pytestmark = pytest.mark.django_db


def _register(coordinator, event, n, *, name=None, check_in=True):
    regs = []
    for i in range(n):
        org = OrganizationFactory()
        user = MembershipFactory(organization=org, **({"user__display_name": name} if name else {})).user
        mode = "online" if i % 2 and event.online_capacity != 0 else "venue"  # online only where offered
        reg = services.register(actor=user, event=event, mode=mode, accessibility="車椅子" if i % 2 else "")
        if check_in and reg.status == "confirmed" and i % 2:
            reg = services.check_in(actor=coordinator, registration=reg)
        regs.append(reg)
    return regs


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registrations_export_queries_flat_rows_of_the_attendance_list(client, coordinator, fmt):
    event = make_event(coordinator, capacity=100, online_capacity=100, per_organization=5)
    client.force_login(coordinator)
    url = reverse("meetings:registrations_export", args=[event.pk])

    rows, queries = assert_flat(client, url, lambda n: _register(coordinator, event, n), fmt=fmt)

    page = client.get(reverse("meetings:attendance", args=[event.pk]))
    assert [row[2] for row in rows[1:]] == [r.user.get_full_name() for r in page.context["page"]]
    assert rows[0][:5] == ["団体", "団体コード", "氏名", "状態", "参加方法"]
    assert {row[3] for row in rows[1:]} == {"確定"}
    assert {row[4] for row in rows[1:]} == {"会場", "オンライン"}
    assert any(row[6] for row in rows[1:]) and any(not row[6] for row in rows[1:])
    assert queries <= 30


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_waiting_list_export_in_queue_order_with_places(client, coordinator, fmt):
    event = make_event(coordinator, capacity=1)
    client.force_login(coordinator)
    url = reverse("meetings:waitlist_export", args=[event.pk])

    rows, _ = assert_flat(
        client, url, lambda n: _register(coordinator, event, n + 1, check_in=False), fmt=fmt
    )

    waiting = list(event.registrations.filter(status="waitlisted").order_by("created_at", "pk"))
    assert [str(row[0]) for row in rows[1:]] == [str(i) for i in range(1, len(waiting) + 1)]
    assert [row[2] for row in rows[1:]] == [r.user.get_full_name() for r in waiting]
    assert {row[3] for row in rows[1:]} == {"キャンセル待ち"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exhibitors_export_queries_flat(client, coordinator, fmt):
    fair = make_event(coordinator, kind="fair", audience=["partner"])
    client.force_login(coordinator)

    def add(n):
        for i in range(n):
            org = PartnerFactory()
            member = MembershipFactory(organization=org).user
            application = services.exhibitor_apply(
                actor=member, event=fair, organization=org, staff_count=2, offer="=1+1 相談ブース"
            )
            if i % 2:
                services.exhibitor_decide(actor=coordinator, application=application, approve=True)

    rows, _ = assert_flat(client, reverse("meetings:exhibitors_export", args=[fair.pk]), add, fmt=fmt)
    assert {row[2] for row in rows[1:]} == {"申込み中", "承認"}
    assert {row[4] for row in rows[1:]} == {"'=1+1 相談ブース"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registrant_named_as_a_formula_is_neutralised(client, coordinator, fmt):
    event = make_event(coordinator, capacity=10)
    _register(coordinator, event, 1, name='=HYPERLINK("http://evil.example","x")')
    client.force_login(coordinator)

    rows, _ = export(client, reverse("meetings:registrations_export", args=[event.pk]), fmt)

    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","x")'
    assert AuditEvent.objects.filter(action="event.registrations_export", object_id=str(event.pk)).exists()


def test_attendance_page_links_both_formats(client, coordinator):
    event = make_event(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("meetings:attendance", args=[event.pk])).content.decode()
    url = reverse("meetings:registrations_export", args=[event.pk])
    assert f"{url}?fmt=xlsx" in page and f"{url}?fmt=csv" in page
