from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowsConfig(AppConfig):
    name = "portal.windows"
    label = "windows"
    verbose_name = _("Consultation windows")

    def ready(self) -> None:
        from portal.core import pii, registry

        from . import selectors

        registry.register_loader(self, kind=registry.DEMO, order=10, load=".demo.seed_demo")
        # The window directory's numbers are published: the personal-data guard leaves them alone.
        pii.register_public_numbers(selectors.published_phone_numbers)

        from portal.core import purge

        purge.no_personal_data(
            "windows.ConsultationWindow",
            "windows.DirectoryConfirmation",
            reason="the public directory of consultation windows",
        )
