from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "portal.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import choice_labels

        choice_labels.install()
        _connect_operations()

        from . import purge

        purge.no_personal_data(
            "core.AuditEvent",
            "core.OutboundEmail",
            "core.Notification",
            reason=(
                "copies of other records' text (labels, subjects, bodies): every purge kind blanks "
                "them with purge.clear_copies, and the completeness test searches them"
            ),
        )
        purge.no_personal_data(
            "core.CalendarFeed",
            "core.CapacityResource",
            "core.Reservation",
            "core.NotificationPreference",
            reason="feed token hashes, places and their reservations, notification settings: no text",
        )
        # Django's and the libraries' own tables: accounts, sessions, permissions, admin history.
        purge.no_personal_data(
            "admin.LogEntry",
            "auth.Permission",
            "auth.Group",
            "contenttypes.ContentType",
            "sessions.Session",
            "account.EmailAddress",
            "account.EmailConfirmation",
            "mfa.Authenticator",
            "guardian.UserObjectPermission",
            "guardian.GroupObjectPermission",
            reason="the frameworks' own tables (sign-in, sessions, permissions, admin history): no resident",
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.core.admin_site.PortalAdminSite"


def _connect_operations() -> None:
    """Request ids into Celery tasks, and each failed task counted for /metrics."""
    from celery import signals

    from . import logs, metrics

    logs.connect_celery()

    def count_failure(sender=None, **_kwargs):
        metrics.record_task_failure(getattr(sender, "name", "unknown"))

    signals.task_failure.connect(count_failure, weak=False, dispatch_uid="portal.metrics.task_failure")
