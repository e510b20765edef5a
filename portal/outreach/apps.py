from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "portal.outreach"
    label = "outreach"
    verbose_name = _("Touring and home-visit consultation")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=80, load=".demo.seed_demo")
