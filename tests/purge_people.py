"""People the purge builders (``tests/<app>/purge_examples.py``) act as: made the way the portal
makes them (memberships through the accounts service, TOTP enrolled for the secretariat)."""

from types import SimpleNamespace

from portal.accounts import services as account_services
from portal.accounts.models import Membership

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    SecretariatFactory,
    UserFactory,
    enroll_totp,
)


def people() -> SimpleNamespace:
    secretariat = SecretariatFactory()
    coordinator = UserFactory(display_name="調整 太郎")
    account_services.membership_add(
        actor=None, user=coordinator, organization=secretariat, role=Membership.Role.ADMIN
    )
    enroll_totp(coordinator)
    coordinator.refresh_from_db()
    municipality = OrganizationFactory()
    member = MembershipFactory(organization=municipality, role=Membership.Role.MEMBER).user
    expert = ExpertProfileFactory(panel_discipline="medical").user
    enroll_totp(expert)
    other_expert = ExpertProfileFactory(panel_discipline="legal").user
    enroll_totp(other_expert)
    return SimpleNamespace(
        secretariat=secretariat,
        coordinator=coordinator,
        municipality=municipality,
        member=member,
        expert=expert,
        other_expert=other_expert,
    )
