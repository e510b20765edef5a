from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "portal.directory"
    label = "directory"
    verbose_name = _("Public directories")

    def ready(self):
        from portal.core import registry

        from . import (
            entrance,  # noqa: F401 (registers the public entrance section)
            reference,
        )

        registry.register_loader(self, kind=registry.DEMO, order=100, load=".demo.seed_demo")
        registry.register_loader(self, kind=registry.REFERENCE, order=20, load=lambda **_: reference.load())

        from portal.core import purge

        purge.no_personal_data(
            "directory.PartnerEntry",
            "directory.SupportInstitution",
            reason="the public directories of organisations and institutions",
        )
