from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "portal.directory"
    label = "directory"
    verbose_name = _("Public directories")

    def ready(self):
        from . import entrance  # noqa: F401 (registers the public entrance section)
