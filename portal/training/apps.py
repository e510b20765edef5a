from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "portal.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401 (dashboard panel and calendar-feed source)
