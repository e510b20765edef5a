from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowsConfig(AppConfig):
    name = "portal.windows"
    label = "windows"
    verbose_name = _("Consultation windows")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=10, load=".demo.seed_demo")
