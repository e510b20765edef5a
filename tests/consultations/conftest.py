import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts import services as account_services
from portal.accounts.models import Membership
from portal.consultations import services
from portal.consultations.models import Relation, Resident

from ..factories import UserFactory, enroll_totp

PASSWORD = "a-long-resident-password"


@pytest.fixture
def counsellor(secretariat):
    user = UserFactory(email="counsellor@example.jp", display_name="相談 花子")
    account_services.membership_add(
        actor=None, user=user, organization=secretariat, role=Membership.Role.COUNSELLOR
    )
    enroll_totp(user)
    user.refresh_from_db()
    return user


def make_resident(nickname="そら", email="sora@example.jp") -> Resident:
    resident = Resident(
        user_number=services.new_user_number(),
        nickname=nickname,
        prefecture="東京都",
        age_band="20s",
        withdrawal="u3y",
        email=email,
    )
    resident.set_password(PASSWORD)
    resident.save()
    return resident


@pytest.fixture
def resident(db):
    return make_resident()


@pytest.fixture
def other_resident(db):
    return make_resident(nickname="うみ", email="umi@example.jp")


def write(resident, subject="眠れない", body="夜になると不安になります。"):
    return services.thread_create(resident=resident, subject=subject, body=body, relation=Relation.PERSON)


def resident_client(resident, password=PASSWORD) -> Client:
    c = Client()
    response = c.post(
        reverse("consultations:sign_in"), {"user_number": resident.user_number, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return c
