"""Reads of mailings and of who a mailing reaches, always for a coordinator."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q

from portal.accounts import selectors as accounts

from . import permissions, sources
from .models import Mailing


def mailings_for_list(user):
    return permissions.visible_mailings(user).order_by("-created_at", "-pk")


def recipients_of(user, mailing: Mailing):
    return (
        permissions.visible_recipients(user)
        .filter(mailing=mailing)
        .select_related("user", "organization", "email")
        .order_by("pk")
    )


def recipient_counts(user, mailing: Mailing) -> dict:
    from django.db.models import Count

    rows = permissions.visible_recipients(user).filter(mailing=mailing)
    return dict(rows.values_list("status").annotate(n=Count("pk")).order_by())


def source_object(user, mailing: Mailing):
    """The meeting, session … a mailing is about, fetched as the coordinator's pages fetch it."""
    if mailing.source == Mailing.Source.ORGANIZATIONS:
        return None
    return sources.SOURCES[mailing.source].fetch(user, mailing.source_id)


def writable():
    """Whether a row (``user_id`` / ``organization_id``) may be written to: the person still acts
    for that organisation, or, written to personally, is still an active expert or secretariat
    member. Ended memberships and deactivated people never receive a mailing."""
    return ExpressionWrapper(
        Q(accounts.active_membership_exists())
        | Q(Q(organization_id__isnull=True) & Q(accounts.active_person_exists())),
        output_field=BooleanField(),
    )


def audience_parts(user, mailing: Mailing, source_obj=None) -> list:
    if mailing.source == Mailing.Source.ORGANIZATIONS:
        return sources.organization_recipients(mailing.audience)
    source = sources.SOURCES[mailing.source]
    obj = source_obj if source_obj is not None else source.fetch(user, mailing.source_id)
    return source.recipients(obj, mailing.group)


def audience(user, mailing: Mailing, source_obj=None) -> list[tuple[int, int | None]]:
    """Who the mailing reaches now: ``(user_id, organization_id)``, one row per person (the
    first of their organisations by id), sorted by person. One query per part of the group."""
    first: dict[int, int | None] = {}
    for part in audience_parts(user, mailing, source_obj):
        rows = (
            part.annotate(may_write=writable())
            .filter(may_write=True)
            .values_list("user_id", "organization_id")
            .order_by("user_id", "organization_id")
        )
        for user_id, organization_id in rows:
            if user_id not in first or (first[user_id] is None and organization_id is not None):
                first[user_id] = organization_id
    return sorted(first.items())


def preview_person(user, rows):
    """The first recipient and their organisation, for the preview (the coordinator if none)."""
    from portal.accounts.selectors import person_with_organization

    if not rows:
        return user, None
    return person_with_organization(*rows[0])
