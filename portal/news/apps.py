from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "portal.news"
    label = "news"
    verbose_name = _("News and notices")

    def ready(self) -> None:
        from portal.core import registry

        registry.register_loader(self, kind=registry.DEMO, order=90, load=".demo.seed_demo")

        from portal.core import purge

        purge.no_personal_data(
            "news.Post",
            "news.Decision",
            reason="public news and their review decisions; the text passes the personal-data guard",
        )
