from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    name = "portal.subsidies"
    label = "subsidies"
    verbose_name = _("Start-up subsidy")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (registers dashboard panels)

        registry.register_loader(self, kind=registry.DEMO, order=110, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "subsidies.Call",
            "subsidies.Application",
            "subsidies.ExpenseLine",
            "subsidies.Document",
            "subsidies.Revision",
            "subsidies.Comment",
            "subsidies.ChangeRequest",
            reason=(
                "an organisation's start-up subsidy (plans, costs, reports): organisation data, no resident"
            ),
        )
