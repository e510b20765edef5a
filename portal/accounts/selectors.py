"""Reads of organisations and people, always for a given user."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from . import permissions
from .models import ExpertProfile, Invitation, Membership, Organization, User


def organizations_visible_to(user):
    qs = Organization.objects.all()
    if permissions.is_coordinator(user):
        return qs
    ids = [m.organization_id for m in permissions.active_memberships(user)]
    return qs.filter(pk__in=ids)


LIST_ORDER = ("kind", "code", "kana", "name", "pk")


def organizations_for_list(user):
    """The organisation list's rows in its order (filtered and paged before anything is counted)."""
    return organizations_visible_to(user).order_by(*LIST_ORDER)


def organization_rows(keys):
    """One page of the list with its member and administrator counts."""
    return (
        Organization.objects.filter(pk__in=keys)
        .annotate(
            active_members=Count(
                "memberships", filter=Q(memberships__is_active=True, memberships__user__is_active=True)
            ),
            admin_count=Count(
                "memberships",
                filter=Q(
                    memberships__is_active=True,
                    memberships__role=Membership.Role.ADMIN,
                    memberships__user__is_active=True,
                ),
            ),
        )
        .prefetch_related("locations")
    )


def members_of(organization):
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "-role", "user__display_name", "user__email")
    )


def invitations_of(organization):
    return (
        Invitation.objects.filter(organization=organization)
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at")
    )


def expert_invitations():
    return Invitation.objects.filter(kind=Invitation.Kind.EXPERT).select_related("invited_by")


def experts_for_list():
    return ExpertProfile.objects.select_related("user").order_by("-is_active", "user__display_name")


def organizations_without_admin():
    """Active organisations (the secretariat aside) with no active administrator: NOT EXISTS over
    the memberships index, not a count grouped over every membership of the country."""
    admins = Membership.objects.filter(
        organization=OuterRef("pk"), is_active=True, role=Membership.Role.ADMIN
    )
    return (
        Organization.objects.filter(is_active=True)
        .exclude(kind=Organization.Kind.SECRETARIAT)
        .exclude(Exists(admins))
    )


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def active_members(organization) -> list:
    """The people who act for an organisation now (for notifications)."""
    return [
        m.user for m in Membership.objects.active().filter(organization=organization).select_related("user")
    ]


def coordinators() -> list:
    """Every active member of the secretariat."""
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organization__kind=Organization.Kind.SECRETARIAT)
        .select_related("user")
    ]
