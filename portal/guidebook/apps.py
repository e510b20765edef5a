from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidebookConfig(AppConfig):
    name = "portal.guidebook"
    label = "guidebook"
    verbose_name = _("Guidebook and materials")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=70, load=".demo.seed_demo")
