from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development and test settings only (production does not install it)."""

    name = "portal.devtools"
    label = "devtools"
    verbose_name = "Development tools"
