from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "portal.outreach"
    label = "outreach"
    verbose_name = _("Touring and home-visit consultation")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=80, load=".demo.seed_demo")

        from portal.core import purge

        purge.register(
            "outreach.referral",
            model="outreach.VisitReferral",
            candidates="portal.outreach.services.purge_candidates",
            purge="portal.outreach.services.referral_purge",
            covers=["outreach.HomeVisit", "outreach.ReferralConfirmation", "outreach.ReferralTransition"],
        )
        purge.register(
            "outreach.booking",
            model="outreach.SlotBooking",
            candidates="portal.outreach.services.booking_purge_candidates",
            purge="portal.outreach.services.booking_purge",
            covers=["outreach.BookingConfirmation"],
        )
        purge.no_personal_data(
            "outreach.OutreachPlan",
            "outreach.OutreachHost",
            "outreach.OutreachDay",
            "outreach.OutreachSlot",
            reason="the touring plan: host municipalities, facilities, the window's contact, days and slots",
        )
