from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "portal.meetings"
    label = "meetings"
    verbose_name = _("Exchange meetings and fairs")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (dashboard panel and calendar-feed source)

        registry.register_loader(self, kind=registry.DEMO, order=50, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "meetings.Event",
            "meetings.ProgrammeItem",
            "meetings.Material",
            reason="exchange meetings, their programme and materials: no resident",
        )
        purge.no_personal_data(
            "meetings.Registration",
            "meetings.SurveyResponse",
            "meetings.ExhibitorApplication",
            reason=("staff's own seats, survey answers and exhibitors' offers: no resident's or case's data"),
        )
        purge.no_personal_data(
            "meetings.PresentationProposal",
            reason=(
                "a case presentation's title and summary, checked by the personal-data guard "
                "before it is kept (no identifying details)"
            ),
        )
