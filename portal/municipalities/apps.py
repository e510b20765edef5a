from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "portal.municipalities"
    label = "municipalities"
    verbose_name = _("Network-building support")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401 (registers dashboard panels)
