"""Who may do what with organisations, memberships and invitations.

Rules of the house: another organisation's object answers 404 (its existence is not revealed);
the right organisation but the wrong role answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import LazyObject

from .models import ExpertProfile, Invitation, Membership, Organization


def request_cache(user) -> dict:
    """Answers about this person kept for the request, on the user object itself (request.user is
    a lazy wrapper: the answers found while loading the person live on what it wraps)."""
    if isinstance(user, LazyObject):
        getattr(user, "pk")  # noqa: B009 (loads the person the wrapper stands for, if not yet)
        user = user.__dict__["_wrapped"]
    return user.__dict__.setdefault("_portal_perm_cache", {})


def _cached(user, key, compute):
    cache = request_cache(user)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def seed_request_cache(user) -> None:
    """What accounts.backends found while loading the signed-in person: their expert profile and
    whether they have a second factor, so neither is asked again during the request."""
    cache = request_cache(user)
    try:
        profile = user.expert
    except ExpertProfile.DoesNotExist:
        profile = None
    cache["expert"] = profile if profile is not None and profile.is_active else None
    cache["has_mfa"] = user.portal_has_mfa


def active_memberships(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return _cached(
        user,
        "memberships",
        lambda: list(Membership.objects.active().filter(user=user.pk).select_related("organization")),
    )


def active_organization_ids(user) -> set[int]:
    """The organisations the person belongs to now (active membership, active organisation)."""
    return {m.organization_id for m in active_memberships(user)}


def membership_in(user, organization_id) -> Membership | None:
    for m in active_memberships(user):
        if m.organization_id == organization_id:
            return m
    return None


def is_coordinator(user) -> bool:
    return any(
        m.organization.kind == Organization.Kind.SECRETARIAT and m.role != Membership.Role.COUNSELLOR
        for m in active_memberships(user)
    )


def is_counsellor(user) -> bool:
    """相談員 of the secretariat; coordinators are counsellors too."""
    return any(m.organization.kind == Organization.Kind.SECRETARIAT for m in active_memberships(user))


def expert_profile(user) -> ExpertProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None

    def load():
        return ExpertProfile.objects.filter(user=user, is_active=True).first()

    return _cached(user, "expert", load)


def is_expert(user) -> bool:
    return expert_profile(user) is not None


def is_org_admin(user, organization) -> bool:
    m = membership_in(user, organization.pk)
    return bool(m and m.is_admin)


def requires_mfa(user) -> bool:
    """Coordinators and experts always; others when one of their organisations asks for it."""
    if is_coordinator(user) or is_expert(user):
        return True
    return any(m.organization.require_mfa for m in active_memberships(user))


def roles_of(user) -> set[str]:
    roles: set[str] = set()
    if is_coordinator(user):
        roles.add("coordinator")
    if is_expert(user):
        roles.add("expert")
    if is_counsellor(user):
        roles.add("counsellor")
    for m in active_memberships(user):
        roles.add(m.organization.kind)
        if m.is_admin:
            roles.add("org_admin")
    return roles


# --- organisations ---------------------------------------------------------------------------


def can_list_organizations(user) -> bool:
    return is_coordinator(user)


def require_member(user) -> None:
    """Pages for the network's members: coordinators or anyone with an active membership."""
    if not (is_coordinator(user) or active_memberships(user)):
        raise PermissionDenied


def require_coordinator(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def get_organization_for(user, pk) -> Organization:
    """An organisation the user may see: coordinators see all, others only their own."""
    if is_coordinator(user):
        try:
            return Organization.objects.get(pk=pk)
        except (Organization.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
    membership = membership_in(user, int(pk))
    if membership is None:
        raise Http404
    return membership.organization


def can_manage_members(user, organization: Organization) -> bool:
    return is_coordinator(user) or is_org_admin(user, organization)


def get_managed_organization_for(user, pk) -> Organization:
    """404 for another organisation, 403 for a member who is not its admin."""
    organization = get_organization_for(user, pk)
    if not can_manage_members(user, organization):
        raise PermissionDenied
    return organization


def invitable_roles(user, organization: Organization) -> list[str]:
    if not can_manage_members(user, organization):
        return []
    roles: list[str] = [Membership.Role.ADMIN, Membership.Role.MEMBER]
    if organization.kind == Organization.Kind.SECRETARIAT:
        roles.append(Membership.Role.COUNSELLOR)
    return roles


def get_membership_for_manager(user, pk) -> Membership:
    try:
        membership = Membership.objects.select_related("organization", "user").get(pk=pk)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    get_managed_organization_for(user, membership.organization_id)
    return membership


def get_invitation_for_manager(user, pk) -> Invitation:
    try:
        invitation = Invitation.objects.select_related("organization").get(pk=pk)
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if invitation.organization_id is None:
        if not is_coordinator(user):  # expert invitations belong to the secretariat
            raise Http404
    else:
        get_managed_organization_for(user, invitation.organization_id)
    return invitation


def can_invite_experts(user) -> bool:
    return is_coordinator(user)
