from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseReviewsConfig(AppConfig):
    name = "portal.casereviews"
    label = "casereviews"
    verbose_name = _("Expert panel")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (registers dashboard panels)

        registry.register_loader(self, kind=registry.DEMO, order=30, load=".demo.seed_demo")
