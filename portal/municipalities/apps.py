from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "portal.municipalities"
    label = "municipalities"
    verbose_name = _("Network-building support")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (registers dashboard panels)

        registry.register_loader(self, kind=registry.DEMO, order=20, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "municipalities.Programme",
            "municipalities.Section",
            "municipalities.Question",
            "municipalities.Participation",
            "municipalities.HearingSheet",
            "municipalities.HearingSheetRevision",
            "municipalities.HearingSheetComment",
            "municipalities.HearingSheetFile",
            "municipalities.ExchangeSession",
            "municipalities.FollowUpAction",
            reason=(
                "the network-building programme: a municipality's answers about its own support "
                "system, no resident"
            ),
        )
