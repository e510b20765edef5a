import datetime as dt
import itertools

import pytest
from django.urls import reverse

from portal.municipalities import services

from ..factories import MembershipFactory, OrganizationFactory
from ..queries import assert_flat
from .conftest import SUBMITTABLE

_years = itertools.count(2030)


def assert_flat_and_listed(client, url, add_rows, shown):
    """Flat query count at 1 and at many rows, and every row added is on the page."""
    created = []
    assert_flat(client, url, lambda n: created.extend(add_rows(n)))
    page = client.get(url).content.decode()
    assert len(created) > 1
    assert [shown(row) for row in created if shown(row) not in page] == []


def _municipalities_with_sheets(coordinator, programme, n, submit=True):
    orgs = OrganizationFactory.create_batch(n)
    created = []
    services.participation_add(actor=coordinator, programme=programme, organizations=orgs)
    for org in orgs:
        member = MembershipFactory(organization=org).user
        sheet = programme.sheets.get(organization=org)
        if submit:
            sheet = services.sheet_submit(
                actor=member, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version
            )
            start = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
            session = services.session_schedule(
                actor=coordinator,
                sheet=sheet,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                meeting_url="https://x.example.jp",
                participants=[member],
            )
            services.action_add(
                actor=coordinator,
                session=session,
                description="送付",
                owner=member,
                due_date=dt.date(2026, 1, 1),
            )
        created.append(programme.sheets.get(organization=org))
    return created


@pytest.mark.django_db
def test_coordinator_sheet_list(coordinator, programme, client):
    client.force_login(coordinator)
    assert_flat_and_listed(
        client,
        reverse("municipalities:sheet_list"),
        lambda n: _municipalities_with_sheets(coordinator, programme, n, submit=False),
        lambda sheet: reverse("municipalities:sheet_detail", args=[sheet.pk]),
    )


@pytest.mark.django_db
def test_progress_board(coordinator, programme, client):
    client.force_login(coordinator)
    assert_flat(
        client,
        reverse("municipalities:programme_board", args=[programme.pk]),
        lambda n: _municipalities_with_sheets(coordinator, programme, n),
    )


@pytest.mark.django_db
def test_programme_list(coordinator, client):
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            year = next(_years)
            services.programme_open(actor=coordinator, fiscal_year=year, hearing_deadline=dt.date(year, 7, 1))

    assert_flat(client, reverse("municipalities:programme_list"), add)


@pytest.mark.django_db
def test_session_detail_actions(sheet, coordinator, admin_a, client):
    start = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
    session = services.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://x.example.jp",
        participants=[admin_a],
    )
    client.force_login(coordinator)

    def add(n):
        return [
            services.action_add(
                actor=coordinator,
                session=session,
                description=f"送付{i}-{n}",
                owner=admin_a,
                due_date=dt.date(2026, 12, 24),
            )
            for i in range(n)
        ]

    assert_flat_and_listed(
        client, reverse("municipalities:session_detail", args=[session.pk]), add, lambda a: a.description
    )


@pytest.mark.django_db
def test_programme_detail_participants(coordinator, programme, client):
    client.force_login(coordinator)
    assert_flat(
        client,
        reverse("municipalities:programme_detail", args=[programme.pk]),
        lambda n: _municipalities_with_sheets(coordinator, programme, n, submit=False),
    )


@pytest.mark.django_db
def test_municipal_programme_list(coordinator, admin_a, client):
    client.force_login(admin_a)

    def add(n):
        for _ in range(n):
            year = next(_years)
            services.programme_open(actor=coordinator, fiscal_year=year, hearing_deadline=dt.date(year, 7, 1))

    assert_flat(client, reverse("municipalities:programme_list"), add)


@pytest.mark.django_db
def test_municipal_sheet_list(coordinator, admin_a, org_a, client):
    client.force_login(admin_a)

    def add(n):
        for _ in range(n):
            year = next(_years)
            programme = services.programme_open(
                actor=coordinator, fiscal_year=year, hearing_deadline=dt.date(year, 7, 1)
            )
            services.participation_add(actor=coordinator, programme=programme, organizations=[org_a])

    assert_flat(client, reverse("municipalities:sheet_list"), add)


@pytest.mark.django_db
def test_question_list(client, coordinator, programme):
    client.force_login(coordinator)
    section = programme.sections.first()
    keys = itertools.count()

    def questions(n):
        for _ in range(n):
            services.question_save(
                actor=coordinator,
                programme=programme,
                question=None,
                section=section,
                key=f"extra_{next(keys)}",
                label="追加の設問",
                kind="short_text",
                order=100,
            )

    assert_flat(client, reverse("municipalities:question_list", args=[programme.pk]), questions)
