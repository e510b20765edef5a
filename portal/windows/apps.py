from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowsConfig(AppConfig):
    name = "portal.windows"
    label = "windows"
    verbose_name = _("Consultation windows")
