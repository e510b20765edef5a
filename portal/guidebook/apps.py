from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidebookConfig(AppConfig):
    name = "portal.guidebook"
    label = "guidebook"
    verbose_name = _("Guidebook and materials")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=70, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "guidebook.Edition",
            "guidebook.Chapter",
            "guidebook.Section",
            "guidebook.Figure",
            "guidebook.Build",
            "guidebook.Material",
            "guidebook.MaterialVersion",
            "guidebook.Download",
            reason="the published guidebook, materials and download counts: no person",
        )
