import datetime as dt

import pytest

from portal.accounts import services as account_services
from portal.accounts.models import Membership
from portal.core.dates import fiscal_year_of
from portal.outreach import services

from ..factories import MembershipFactory, UserFactory, enroll_totp

BOOKING = {
    "initial": "Aさん",
    "relationship": "parent",
    "age_band": "20s",
    "contact_route": "区の窓口から電話で連絡",
    "topic": "息子が3年ほど外出していない。親としての関わり方を相談したい。",
}

REFERRAL = {
    "pseudonym": "Bさん",
    "age": 24,
    "compulsory_education_done": True,
    "lives_in_tokyo": True,
    "withdrawal_months": 30,
    "is_exception": False,
    "exception_reason": "",
    "household": "母と二人暮らし。母が窓口に相談。",
    "tried": "保健師が母と面談を2回。",
    "consent_by": "person",
    "consent_how": "phone",
    "consent_on": dt.date(2024, 5, 1),
    "preferred_times": "平日の午後",
}


def plan_year() -> int:
    return fiscal_year_of() + 1


def plan_dates(offset=0) -> list[dt.date]:
    fy = plan_year()
    return [dt.date(fy, 6, 10 + offset), dt.date(fy, 6, 17 + offset)]


@pytest.fixture
def second_coordinator(secretariat):
    user = UserFactory(email="coord2@example.jp", display_name="相談 花子")
    account_services.membership_add(
        actor=None, user=user, organization=secretariat, role=Membership.Role.MEMBER
    )
    enroll_totp(user)
    return user


@pytest.fixture
def plan(coordinator):
    return services.plan_create(actor=coordinator, fiscal_year=plan_year())


@pytest.fixture
def host(coordinator, plan, org_a, member_a):
    return services.host_add(actor=coordinator, plan=plan, organization=org_a, dates=plan_dates())


def agree(host, actor, **extra):
    data = {
        "facility_name": "甲市福祉会館",
        "facility_address": "甲市本町1-1",
        "room": "第1相談室",
        "access": "甲駅から徒歩5分",
        "barrier_free": "エレベーターあり",
        "contact_name": "福祉課 担当者",
        "contact_department": "福祉課",
        "contact_phone": "",
        "application_deadline": host.days.first().date - dt.timedelta(days=7),
        "date_proposal": "",
        **extra,
    }
    return services.host_save(actor=actor, host=host, data=data, based_on_version=host.version, agree=True)


@pytest.fixture
def published(host, coordinator, member_a):
    agreed = agree(host, member_a)
    return services.host_publish(actor=coordinator, host=agreed)


@pytest.fixture
def day(published):
    return published.days.order_by("date").first()


@pytest.fixture
def member_b(org_b):
    return MembershipFactory(organization=org_b, user__email="member-b@example.jp").user


def book(actor, org, day, slot=None, **overrides):
    return services.booking_create(
        actor=actor,
        organization=org,
        day=day,
        slot=slot,
        data={**BOOKING, "resident_municipality": org, **overrides},
    )


def refer(actor, org, **overrides):
    return services.referral_submit(actor=actor, organization=org, data={**REFERRAL, **overrides})
