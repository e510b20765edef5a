from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "portal.mailings"
    label = "mailings"
    verbose_name = _("Messages from the secretariat")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=95, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "mailings.Mailing",
            "mailings.MailingRecipient",
            reason=(
                "the secretariat's messages to staff and their addresses; the text passes the "
                "personal-data guard"
            ),
        )
