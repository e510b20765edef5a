from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from portal.core import feeds, registry

        from . import dashboard, permissions, signals  # noqa: F401 (registers receivers and dashboard panels)
        from .models import ExpertProfile, Membership, Organization, User

        # who someone is and what they belong to decides what their calendar feed holds
        feeds.watch_models(User, Organization, Membership, ExpertProfile)

        registry.register_people(
            organization_model=Organization,
            is_coordinator=permissions.is_coordinator,
            active_memberships=permissions.active_memberships,
            roles_of=permissions.roles_of,
            expert_profile=permissions.expert_profile,
        )
        registry.register_loader(self, kind=registry.DEMO, order=0, load=".demo.seed_demo")
        registry.register_loader(self, kind=registry.REFERENCE, order=0, load=".services.load_reference_data")

        from portal.core import purge

        purge.no_personal_data(
            "accounts.User",
            "accounts.Membership",
            "accounts.ExpertProfile",
            "accounts.Invitation",
            reason=(
                "staff and experts' own accounts (name, e-mail, role, qualification): kept while "
                "the account is in use; no resident's or case's data"
            ),
        )
        purge.no_personal_data(
            "accounts.Organization",
            reason=("municipalities, partner organisations and the secretariat: public organisation data"),
        )
