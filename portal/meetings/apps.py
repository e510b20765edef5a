from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Exchange meetings and fairs")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401 (dashboard panel and calendar-feed source)
