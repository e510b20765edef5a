from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "portal.residents"
    label = "residents"
    verbose_name = _("Consultation for residents and families")

    def ready(self) -> None:
        from portal.core import purge, registry

        from . import entrance  # noqa: F401 (registers the public entrance section)

        registry.register_loader(self, kind=registry.DEMO, order=110, load=".demo.seed_demo")
        registry.register_loader(self, kind=registry.REFERENCE, order=30, load=".demo.load_pages")
        purge.register(
            "residents.individual",
            model="residents.IndividualApplication",
            candidates="portal.residents.services.individual_purge_candidates",
            purge="portal.residents.services.individual_purge",
        )
        purge.register(
            "residents.seminar",
            model="residents.SeminarApplication",
            candidates="portal.residents.services.seminar_purge_candidates",
            purge="portal.residents.services.seminar_purge",
        )
        purge.no_personal_data(
            "residents.SeminarSeat",
            reason="a seat on one seminar date (mode, status, reminders); the text is in the application",
        )
        purge.register(
            "residents.peer",
            model="residents.PeerBooking",
            candidates="portal.residents.services.peer_purge_candidates",
            purge="portal.residents.services.peer_purge",
        )
        purge.no_personal_data(
            "residents.Page",
            "residents.PageRevision",
            reason="the public pages for residents: anonymised text checked by the personal-data guard",
        )
        purge.no_personal_data(
            "residents.ConsultationDay",
            "residents.ConsultationSlot",
            "residents.Seminar",
            "residents.PeerDay",
            "residents.PeerSlot",
            reason="the published schedule of days, times and seminars: no person",
        )
