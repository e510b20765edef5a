"""Every write of the consultation-window directory."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator, membership_in, require_coordinator
from portal.accounts.selectors import active_members
from portal.core import audit, outbox
from portal.core.dates import fiscal_year_label
from portal.core.exceptions import StaleEdit

from .models import ConsultationWindow, DirectoryConfirmation

__all__ = ["StaleEdit"]


def _require_window_editor(actor, organization: Organization) -> None:
    if not (is_coordinator(actor) or membership_in(actor, organization.pk)):
        raise PermissionDenied


def window_save(
    *,
    actor,
    organization: Organization,
    window: ConsultationWindow | None,
    based_on_version: int | None,
    **fields,
) -> ConsultationWindow:
    _require_window_editor(actor, organization)
    with transaction.atomic():
        if window is None:
            window = ConsultationWindow(organization=organization)
            action = "window.create"
        else:
            window = ConsultationWindow.objects.select_for_update().get(pk=window.pk)
            if window.version != based_on_version:
                raise StaleEdit(current=window)
            window.version += 1
            action = "window.update"
        changed = [name for name, value in fields.items() if getattr(window, name) != value]
        for name, value in fields.items():
            setattr(window, name, value)
        window.updated_by = actor
        window.save()
        audit.record(actor=actor, action=action, obj=window, details={"fields": changed})
    return window


def window_remove(*, actor, window: ConsultationWindow) -> None:
    _require_window_editor(actor, window.organization)
    with transaction.atomic():
        window.is_active = False
        window.version += 1
        window.updated_by = actor
        window.save(update_fields=["is_active", "version", "updated_by", "updated_at"])
        audit.record(actor=actor, action="window.remove", obj=window)


def directory_confirm(*, actor, organization: Organization, fiscal_year: int) -> DirectoryConfirmation:
    _require_window_editor(actor, organization)
    with transaction.atomic():
        confirmation, _created = DirectoryConfirmation.objects.get_or_create(
            organization=organization, fiscal_year=fiscal_year, defaults={"confirmed_by": actor}
        )
        audit.record(actor=actor, action="window.confirm", obj=confirmation, organization=organization)
    return confirmation


def directory_remind(*, actor, organizations, fiscal_year: int) -> int:
    require_coordinator(actor)
    count = 0
    with transaction.atomic():
        for org in organizations:
            if DirectoryConfirmation.objects.filter(organization=org, fiscal_year=fiscal_year).exists():
                continue
            for user in active_members(org):
                outbox.notify(
                    user=user,
                    title=_("Please confirm your consultation windows for %(year)s")
                    % {"year": fiscal_year_label(fiscal_year)},
                    body=_(
                        "The public list of consultation windows shows your entries. "
                        "Please check them and confirm."
                    ),
                    url=reverse("windows:window_mine"),
                )
                count += 1
            audit.record(actor=actor, action="window.remind", organization=org)
    return count
