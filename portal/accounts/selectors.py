"""Reads of organisations and people, always for a given user."""

from __future__ import annotations

from django.db.models import Count, Q

from . import permissions
from .models import ExpertProfile, Invitation, Membership, Organization, User


def organizations_visible_to(user):
    qs = Organization.objects.all()
    if permissions.is_coordinator(user):
        return qs
    ids = [m.organization_id for m in permissions.active_memberships(user)]
    return qs.filter(pk__in=ids)


def organizations_for_list(user):
    return (
        organizations_visible_to(user)
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
        .order_by("kind", "code", "kana", "name", "pk")
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
    return (
        Organization.objects.filter(is_active=True)
        .exclude(kind=Organization.Kind.SECRETARIAT)
        .annotate(
            admin_count=Count(
                "memberships",
                filter=Q(memberships__is_active=True, memberships__role=Membership.Role.ADMIN),
            )
        )
        .filter(admin_count=0)
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
