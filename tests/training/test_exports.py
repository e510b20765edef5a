"""Training exports: the year workbook and a session's registrations and waiting list, at a fixed
number of queries whatever the number of rows, with Japanese labels and formulas neutralised."""

import pytest
from django.urls import reverse

from portal.core.models import AuditEvent
from portal.training import services

from ..exports import assert_flat, export
from ..factories import MembershipFactory, OrganizationFactory, PartnerFactory
from .conftest import make_session

pytestmark = pytest.mark.django_db


def _register(coordinator, session, n, *, attended=True, name=None):
    regs = []
    for _ in range(n):
        org = PartnerFactory() if len(regs) % 2 else OrganizationFactory()
        user = MembershipFactory(organization=org, **({"user__display_name": name} if name else {})).user
        reg = services.register(actor=user, session=session)
        if attended and reg.status == "confirmed":
            services.mark_attendance(
                actor=coordinator,
                session=session,
                registrations=[reg],
                attendance="present",
                now=session.ends_at,
            )
        regs.append(reg)
    return regs


@pytest.mark.parametrize("sheet", [0, 1])
def test_year_export_queries_flat(client, coordinator, intro, sheet):
    sessions = [
        make_session(coordinator, intro, capacity=500),
        make_session(coordinator, intro, capacity=500, days=30, label="第2回"),
    ]
    client.force_login(coordinator)

    def add(n):
        for i in range(n):
            _register(coordinator, sessions[i % 2], 1)

    rows, queries = assert_flat(
        client, reverse("training:export"), add, fmt=None, data={"year": 2025}, sheet=sheet
    )
    assert queries <= 30
    if sheet == 0:
        assert {row[5] for row in rows[1:]} == {"確定"}
        assert {row[6] for row in rows[1:]} == {"出席"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_roster_export_queries_flat_and_rows_of_the_page(client, coordinator, intro, fmt):
    session = make_session(coordinator, intro, capacity=10)
    client.force_login(coordinator)
    url = reverse("training:roster_export", args=[session.pk])

    rows, queries = assert_flat(client, url, lambda n: _register(coordinator, session, n), fmt=fmt)

    page = client.get(reverse("training:roster", args=[session.pk]))
    shown = [line["name"] for line in page.context["lines"]]
    assert [row[0] for row in rows[1:]] == shown
    assert rows[0][:4] == ["氏名", "団体", "団体コード", "状態"]
    assert {row[3] for row in rows[1:]} == {"確定", "キャンセル待ち"}
    assert queries <= 30


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_waiting_list_export_in_queue_order_with_places(client, coordinator, intro, fmt):
    session = make_session(coordinator, intro, capacity=1)
    client.force_login(coordinator)
    url = reverse("training:waitlist_export", args=[session.pk])

    rows, _ = assert_flat(
        client, url, lambda n: _register(coordinator, session, n + 1, attended=False), fmt=fmt
    )

    waiting = list(session.registrations.filter(status="waitlisted").order_by("created_at", "pk"))
    assert [str(row[0]) for row in rows[1:]] == [str(i) for i in range(1, len(waiting) + 1)]
    assert [row[1] for row in rows[1:]] == [r.user.get_full_name() for r in waiting]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registrant_named_as_a_formula_is_neutralised(client, coordinator, intro, fmt):
    session = make_session(coordinator, intro, capacity=10)
    _register(coordinator, session, 1, attended=False, name='=HYPERLINK("http://evil.example","x")')
    client.force_login(coordinator)

    rows, _ = export(client, reverse("training:roster_export", args=[session.pk]), fmt)

    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    assert AuditEvent.objects.filter(action="training.roster_export", object_id=str(session.pk)).exists()
