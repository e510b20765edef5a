from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "portal.partners"
    label = "partners"
    verbose_name = _("Talent bank")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (dashboard panels and calendar-feed source)

        registry.register_loader(self, kind=registry.DEMO, order=40, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "partners.ExpertSchedule",
            "partners.WeeklyHours",
            "partners.AvailabilityException",
            "partners.Quota",
            "partners.QuotaException",
            reason="experts' availability and organisations' quotas: no resident",
        )
        purge.no_personal_data(
            "partners.Consultation",
            "partners.ConsultationRecord",
            "partners.Feedback",
            reason=(
                "an organisation's consultation with an expert about its own work; the "
                "description passes the personal-data guard (no identifying details of a person "
                "are kept)"
            ),
        )
