"""Permission matrix of the talent bank's URLs (joined into tests/test_permission_matrix.py)."""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse

from portal.partners import services
from portal.partners.models import Consultation

from ..factories import MembershipFactory, PartnerFactory
from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import NOW


@dataclass
class BankWorld:
    coordinator: object
    staff: object
    other_staff: object
    admin_a: object
    lawyer: object
    other_lawyer: object
    requested: object
    confirmed: object
    completed: object
    weekly: object
    slot: object


@pytest.fixture
def bank_world(coordinator, admin_a, lawyer, npo, npo_staff):
    from portal.accounts.models import ExpertProfile

    from ..factories import ExpertProfileFactory

    other_org = PartnerFactory()
    other_staff = MembershipFactory(organization=other_org).user
    other_lawyer = ExpertProfileFactory(
        user__email="second-lawyer@example.jp",
        panel_discipline="",
        talent_bank_discipline=ExpertProfile.TalentBankDiscipline.LEGAL,
    ).user
    from ..factories import enroll_totp

    enroll_totp(other_lawyer)
    with time_machine.travel(NOW, tick=False):
        slots = services.available_slots(lawyer, days=8)
        requested = services.request_create(
            actor=npo_staff,
            organization=npo,
            field="legal",
            topic="相談A",
            description="運営について",
            fmt="online",
            attendees=[npo_staff],
            hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[0][0]),
        )
        confirmed = services.request_create(
            actor=npo_staff,
            organization=npo,
            field="legal",
            topic="相談B",
            description="運営について",
            fmt="online",
            attendees=[npo_staff],
            hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[1][0]),
        )
        confirmed = services.consultation_confirm(actor=coordinator, consultation=confirmed)
        completed = services.request_create(
            actor=npo_staff,
            organization=npo,
            field="legal",
            topic="相談C",
            description="運営について",
            fmt="online",
            attendees=[npo_staff],
            hold=services.hold_slot(actor=npo_staff, expert=lawyer, starts_at=slots[2][0]),
        )
        completed = services.consultation_confirm(actor=coordinator, consultation=completed)
        services.record_write(
            actor=lawyer.user,
            consultation=completed,
            summary="助言",
            private_notes="",
            now=completed.ends_at,
        )
    return BankWorld(
        coordinator=coordinator,
        staff=npo_staff,
        other_staff=other_staff,
        admin_a=admin_a,
        lawyer=lawyer.user,
        other_lawyer=other_lawyer,
        requested=requested,
        confirmed=confirmed,
        completed=completed,
        weekly=lawyer.schedule.weekly.first(),
        slot=slots[3][0],
    )


def on(name):
    return lambda w: {"pk": getattr(w, name).pk}


READ = {"right": ("staff", 200), "other_org": ("other_staff", 404), "wrong_role": ("admin_a", 403)}
COORD = {"right": ("coordinator", 302), "wrong_role": ("staff", 403), "other_org": ("other_staff", 404)}

BANK_MATRIX: dict[str, Rule] = {
    "partners:slot_list": Rule(
        "GET",
        right=("staff", 200),
        wrong_role=("admin_a", 403),
        not_applicable="always for one's own organisation",
    ),
    "partners:slot_hold": Rule(
        "POST",
        right=("staff", 302),
        wrong_role=("admin_a", 403),
        data=lambda w: {"expert": w.lawyer.expert.pk, "start": w.slot.isoformat()},
        not_applicable="always for one's own organisation",
    ),
    "partners:consultation_list": Rule(
        "GET",
        right=("staff", 200),
        wrong_role=("admin_a", 403),
        not_applicable="the list shows only what one may read",
    ),
    "partners:consultation_create": Rule(
        "GET",
        right=("staff", 200),
        wrong_role=("admin_a", 403),
        not_applicable="always for one's own organisation",
    ),
    "partners:consultation_detail": Rule("GET", kwargs=on("requested"), **READ),
    "partners:consultation_confirm": Rule("POST", kwargs=on("requested"), **COORD),
    "partners:consultation_decline": Rule(
        "POST", kwargs=on("requested"), data=lambda w: {"reason": "都合により"}, **COORD
    ),
    "partners:consultation_cancel": Rule(
        "POST",
        kwargs=on("confirmed"),
        right=("staff", 302),
        wrong_role=("lawyer", 403),
        other_org=("other_staff", 404),
    ),
    "partners:consultation_reschedule": Rule(
        "GET",
        kwargs=on("confirmed"),
        right=("staff", 200),
        wrong_role=("lawyer", 403),
        other_org=("other_staff", 404),
    ),
    "partners:consultation_no_show": Rule("POST", kwargs=on("confirmed"), **COORD),
    "partners:consultation_record": Rule(
        "GET",
        kwargs=on("confirmed"),
        right=("lawyer", 200),
        wrong_role=("staff", 403),
        other_org=("other_lawyer", 404),
    ),
    "partners:consultation_feedback": Rule(
        "POST",
        kwargs=on("completed"),
        data=lambda w: {"rating": "4"},
        right=("staff", 302),
        wrong_role=("lawyer", 403),
        other_org=("other_staff", 404),
    ),
    "partners:quota_exception": Rule(
        "POST", kwargs=on("requested"), data=lambda w: {"quota-extra": 1, "quota-reason": "特例"}, **COORD
    ),
    "partners:consultation_ics": Rule("GET", kwargs=on("confirmed"), **READ),
    "partners:availability": Rule(
        "GET",
        right=("lawyer", 200),
        wrong_role=("staff", 403),
        not_applicable="always one's own availability",
    ),
    "partners:availability_delete": Rule(
        "POST",
        kwargs=lambda w: {"kind": "weekly", "pk": w.weekly.pk},
        right=("lawyer", 302),
        wrong_role=("staff", 403),
        other_org=("other_lawyer", 404),
    ),
    "partners:utilisation": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("staff", 403),
        not_applicable="counts of all organisations, for coordinators",
    ),
}

CASES = matrix_cases(BANK_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_talent_bank_permission_matrix(client, bank_world, name, case):
    with time_machine.travel(NOW, tick=False):
        check_rule(client, bank_world, BANK_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in BANK_MATRIX.items() if r.method == "GET"])
def test_talent_bank_get_never_changes_state(client, bank_world, name):
    with time_machine.travel(NOW, tick=False):
        check_get_is_safe(client, bank_world, BANK_MATRIX[name], name)


@pytest.mark.django_db
def test_consultation_list_query_count(npo, npo_staff, client):
    from ..queries import assert_flat

    client.force_login(npo_staff)

    def add(n):
        for _ in range(n):
            services.request_create(
                actor=npo_staff,
                organization=npo,
                field="management",
                topic="会計",
                description="会計処理について",
                fmt="online",
                attendees=[npo_staff],
                preferred_dates=[dt.date(2027, 1, 12)],
            )

    other_org = PartnerFactory()
    other_staff = MembershipFactory(organization=other_org).user
    with time_machine.travel(NOW, tick=False):
        services.request_create(
            actor=other_staff,
            organization=other_org,
            field="management",
            topic="別団体の会計",
            description="会計処理について",
            fmt="online",
            attendees=[other_staff],
            preferred_dates=[dt.date(2027, 1, 12)],
        )
        assert_flat(client, reverse("partners:consultation_list"), lambda n: add(min(n, 5)))
        page = client.get(reverse("partners:consultation_list")).content.decode()

    ours = Consultation.objects.filter(organization=npo)
    assert ours.count() == 6
    for c in ours:
        assert f'href="{reverse("partners:consultation_detail", args=[c.pk])}"' in page
    assert "別団体の会計" not in page


@pytest.mark.django_db
def test_coordinator_consultation_list_query_count(coordinator, client):
    from ..queries import assert_flat

    client.force_login(coordinator)
    made = []

    def add(n):
        for _ in range(n):
            org = PartnerFactory()
            staff = MembershipFactory(organization=org).user
            made.append(
                services.request_create(
                    actor=staff,
                    organization=org,
                    field="legal",
                    topic=f"相談{len(made)}",
                    description="運営について",
                    fmt="online",
                    attendees=[staff],
                    preferred_dates=[dt.date(2027, 1, 12)],
                )
            )

    with time_machine.travel(NOW, tick=False):
        assert_flat(client, reverse("partners:consultation_list"), add)
        page = client.get(reverse("partners:consultation_list")).content.decode()

    assert len(made) == 31
    for c in made:
        assert f'href="{reverse("partners:consultation_detail", args=[c.pk])}"' in page


@pytest.mark.django_db
def test_slot_list_query_count(lawyer, npo_staff, client):
    from ..factories import ExpertProfileFactory
    from ..queries import assert_flat

    client.force_login(npo_staff)
    added = []

    def add(n):
        for _ in range(n):
            profile = ExpertProfileFactory(panel_discipline="", talent_bank_discipline="legal")
            schedule = services.schedule_for(profile)
            schedule.weekly.create(weekday=0, start=dt.time(13), end=dt.time(17))
            added.append(profile)

    url = reverse("partners:slot_list") + "?field=legal&week=2026-06-08"
    with time_machine.travel(NOW, tick=False):
        assert_flat(client, url, lambda n: add(min(n, 6)))
        page = client.get(url).content.decode()

    assert len(added) == 7
    for profile in [lawyer, *added]:  # every expert's slots of that week are on the page
        assert f'name="expert" value="{profile.pk}"' in page
    assert "令和8年6月8日（月）" in page
