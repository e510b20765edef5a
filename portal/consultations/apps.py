from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "portal.consultations"
    label = "consultations"
    verbose_name = _("Mail consultation and consultation records")

    def ready(self) -> None:
        from portal.core import purge, registry

        registry.register_loader(self, kind=registry.DEMO, order=95, load=".demo.seed_demo")
        services = "portal.consultations.services"
        purge.register(
            "consultations.thread",
            model="consultations.Thread",
            candidates=f"{services}.thread_purge_candidates",
            purge=f"{services}.thread_purge",
            covers=["consultations.Message", "consultations.Note"],
        )
        purge.register(
            "consultations.record",
            model="consultations.Record",
            candidates=f"{services}.record_purge_candidates",
            purge=f"{services}.record_purge",
        )
        purge.register(
            "consultations.resident",
            model="consultations.Resident",
            candidates=f"{services}.resident_purge_candidates",
            purge=f"{services}.resident_purge",
        )
        purge.no_personal_data(
            "consultations.ReplyTemplate", reason="general wording of common replies, about no one"
        )
