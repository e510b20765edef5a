from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseReviewsConfig(AppConfig):
    name = "portal.casereviews"
    label = "casereviews"
    verbose_name = _("Expert panel")

    def ready(self) -> None:
        from portal.core import registry

        from . import dashboard  # noqa: F401 (registers dashboard panels)

        registry.register_loader(self, kind=registry.DEMO, order=30, load=".demo.seed_demo")

        from portal.core import purge

        purge.register(
            "casereviews.case",
            model="casereviews.Case",
            candidates="portal.casereviews.services.purge_candidates",
            purge="portal.casereviews.services.purge_case",
            covers=[
                "casereviews.CaseTransition",
                "casereviews.CaseAttachment",
                "casereviews.PersonalDataConfirmation",
                "casereviews.PanelNote",
                "casereviews.AdviceRecord",
                "casereviews.AdviceRevision",
                "casereviews.FollowUpReport",
                "casereviews.ConflictOfInterest",
            ],
        )
        purge.register(
            "casereviews.draft",
            model="casereviews.Case",
            candidates="portal.casereviews.services.draft_purge_candidates",
            purge="portal.casereviews.services.purge_draft",
            covers=["casereviews.CaseAttachment"],
        )
        purge.no_personal_data(
            "casereviews.Meeting",
            "casereviews.BlindReviewDefault",
            reason="meeting dates, venues and panels, and an organisation's setting: no one's case",
        )
        purge.no_personal_data(
            "casereviews.PurgeRecord",
            reason="what a purge removed: field names and counts, never the text",
        )
        purge.no_personal_data(
            "casereviews.CaseUserObjectPermission",
            "casereviews.CaseGroupObjectPermission",
            reason="read grants (who may read which case): removed when access ends",
        )
