from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "portal.partners"
    label = "partners"
    verbose_name = _("Talent bank")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (dashboard panels and calendar-feed source)

        registry.register_loader(self, kind=registry.DEMO, order=40, load=".demo.seed_demo")
