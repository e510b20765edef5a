import os
import shutil

import pytest
from django.core.cache import cache

from portal.accounts import services as account_services
from portal.accounts.models import Membership

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    SecretariatFactory,
    UserFactory,
    enroll_totp,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


@pytest.fixture
def coordinator(secretariat):
    user = UserFactory(email="coord@example.jp", display_name="調整 太郎")
    account_services.membership_add(
        actor=None, user=user, organization=secretariat, role=Membership.Role.ADMIN
    )
    enroll_totp(user)
    user.refresh_from_db()
    return user


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="甲市", code="139001")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="乙区", code="139002", municipality_kind="ward")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="テスト支援ネット")


@pytest.fixture
def admin_a(org_a):
    return MembershipFactory(
        organization=org_a, role=Membership.Role.ADMIN, user__email="admin-a@example.jp"
    ).user


@pytest.fixture
def member_a(org_a):
    return MembershipFactory(
        organization=org_a, role=Membership.Role.MEMBER, user__email="member-a@example.jp"
    ).user


@pytest.fixture
def admin_b(org_b):
    return MembershipFactory(
        organization=org_b, role=Membership.Role.ADMIN, user__email="admin-b@example.jp"
    ).user


@pytest.fixture
def partner_member(partner):
    return MembershipFactory(organization=partner, user__email="npo@example.jp").user


@pytest.fixture
def expert(db):
    profile = ExpertProfileFactory(user__email="expert@example.jp")
    enroll_totp(profile.user)
    return profile.user


@pytest.fixture
def login(client):
    """Sign a person in (their session is fresh, as after a real sign-in)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return _login


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
