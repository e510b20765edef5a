from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import choice_labels

        choice_labels.install()


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.core.admin_site.PortalAdminSite"
