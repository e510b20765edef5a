from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Exchange meetings and fairs")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (dashboard panel and calendar-feed source)

        registry.register_loader(self, kind=registry.DEMO, order=50, load=".demo.seed_demo")
