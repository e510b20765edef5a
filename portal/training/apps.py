from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "portal.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from portal.core import registry

        from . import (
            dashboard,  # noqa: F401 (dashboard panel and calendar-feed source)
            reference,
        )

        registry.register_loader(self, kind=registry.DEMO, order=60, load=".demo.seed_demo")
        registry.register_loader(
            self, kind=registry.REFERENCE, order=10, load=lambda **_: reference.load(self.get_model("Course"))
        )

        from portal.core import purge

        purge.no_personal_data(
            "training.Course",
            "training.Session",
            "training.VideoModule",
            "training.QuizQuestion",
            "training.CertificateSerial",
            "training.CertificateBatch",
            reason="the training catalogue and its certificate runs: no person",
        )
        purge.no_personal_data(
            "training.Registration",
            "training.ModuleProgress",
            "training.Completion",
            "training.Certificate",
            reason="staff's own training record and certificates: no resident's or case's data",
        )
