"""Every write to organisations, memberships, invitations and experts."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import audit, feeds, outbox
from portal.core.exceptions import StaleEdit

from . import permissions
from .models import ExpertProfile, Invitation, Membership, Organization, User

SECRETARIAT_NAME = "東京都ひきこもりサポートネット"


# --- reference data --------------------------------------------------------------------------


@dataclass
class ReferenceLoadResult:
    municipalities_created: int = 0
    municipalities_updated: int = 0
    partners_created: int = 0
    partners_updated: int = 0


def reference_data_dir() -> Path:
    candidates = [
        Path(getattr(settings, "REFERENCE_DATA_DIR", "")),
        settings.BASE_DIR / "portal" / "accounts" / "reference",
    ]
    for c in candidates:
        if str(c) and (c / "tokyo_municipalities.csv").exists():
            return c
    raise FileNotFoundError("reference data (tokyo_municipalities.csv) not found")


def load_reference_data(*, data_dir: Path | None = None) -> ReferenceLoadResult:
    """Create or update the 62 municipalities, the partner organisations and the secretariat.

    Idempotent: rows are matched by code (municipalities) or name+branch (partners). Partners that
    are no longer in the file are left as they are (deactivate them explicitly, keeping history).
    """
    data_dir = data_dir or reference_data_dir()
    result = ReferenceLoadResult()
    with transaction.atomic():
        Organization.objects.get_or_create(
            kind=Organization.Kind.SECRETARIAT,
            name=SECRETARIAT_NAME,
            branch="",
            defaults={"kana": "とうきょうとひきこもりさぽーとねっと", "require_mfa": True},
        )
        by_name: dict[str, Organization] = {}
        with open(data_dir / "tokyo_municipalities.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                org, created = Organization.objects.update_or_create(
                    code=row["code"],
                    defaults={
                        "kind": Organization.Kind.MUNICIPALITY,
                        "name": row["name"],
                        "kana": row["kana"],
                        "municipality_kind": row["kind"],
                    },
                )
                by_name[org.name] = org
                if created:
                    result.municipalities_created += 1
                else:
                    result.municipalities_updated += 1
        with open(data_dir / "partner_organizations.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                org, created = Organization.objects.update_or_create(
                    kind=Organization.Kind.PARTNER,
                    name=row["name"],
                    branch=row["branch"],
                    defaults={
                        "legal_form": row["legal_form"],
                        "support_types": [t for t in row["support_types"].split(";") if t],
                    },
                )
                locations = []
                for place in filter(None, row["locations"].split(";")):
                    match = by_name.get(place) or next(
                        (o for n, o in by_name.items() if n.rstrip("区市町村") == place.rstrip("区市町村")),
                        None,
                    )
                    if match:
                        locations.append(match)
                org.locations.set(locations)
                if created:
                    result.partners_created += 1
                else:
                    result.partners_updated += 1
    return result


def secretariat() -> Organization:
    return Organization.objects.get(kind=Organization.Kind.SECRETARIAT)


# --- organisations ---------------------------------------------------------------------------


def organization_create_partner(
    *, actor, name: str, legal_form: str, branch: str = "", support_types=(), locations=()
) -> Organization:
    permissions.require_coordinator(actor)
    with transaction.atomic():
        org = Organization.objects.create(
            kind=Organization.Kind.PARTNER,
            name=name,
            legal_form=legal_form,
            branch=branch,
            support_types=list(support_types),
        )
        org.locations.set(locations)
        audit.record(actor=actor, action="organization.create", obj=org)
    return org


def organization_set_active(*, actor, organization: Organization, active: bool) -> Organization:
    """Deactivating keeps the organisation and its history; its members lose access to it."""
    permissions.require_coordinator(actor)
    if organization.kind == Organization.Kind.SECRETARIAT and not active:
        raise ValidationError(_("The secretariat cannot be deactivated."))
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.is_active == active:
            return org
        org.is_active = active
        org.deactivated_at = None if active else timezone.now()
        org.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        audit.record(
            actor=actor, action="organization.activate" if active else "organization.deactivate", obj=org
        )
        if not active:
            users = list(
                User.objects.filter(memberships__organization=org, memberships__is_active=True).distinct()
            )
            _end_sessions(users)
            for user in users:
                feeds.feed_end(actor=actor, user=user, reason="organization.deactivate")
    return org


def organization_set_mfa_policy(*, actor, organization: Organization, require_mfa: bool) -> Organization:
    if not permissions.can_manage_members(actor, organization):
        raise PermissionDenied
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        if org.kind == Organization.Kind.SECRETARIAT and not require_mfa:
            raise ValidationError(_("Two-factor authentication is always required for the secretariat."))
        org.require_mfa = require_mfa
        org.save(update_fields=["require_mfa", "updated_at"])
        audit.record(
            actor=actor, action="organization.mfa_policy", obj=org, details={"require_mfa": require_mfa}
        )
    return org


# --- memberships -----------------------------------------------------------------------------


def _end_sessions(users) -> None:
    """End every session of these people: the next request of each is signed out."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(session_generation=F("session_generation") + 1)


def _sync_staff_flag(user: User) -> None:
    """Coordinators (and only they, besides superusers) may open the Django admin."""
    user.__dict__.pop("_portal_perm_cache", None)
    staff = permissions.is_coordinator(user) or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def membership_add(
    *, actor, user: User, organization: Organization, role: str, title: str = ""
) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": role, "title": title}
        )
        if not created and not membership.is_active:
            membership.is_active = True
            membership.ended_at = None
            membership.role = role
            membership.version += 1
            membership.save(update_fields=["is_active", "ended_at", "role", "version"])
        audit.record(actor=actor, action="membership.add", obj=membership, details={"role": role})
        _sync_staff_flag(user)
    return membership


def membership_set_role(*, actor, membership: Membership, role: str, based_on_version: int) -> Membership:
    if not permissions.can_manage_members(actor, membership.organization):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if locked.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
            _ensure_another_admin(locked)
        locked.role = role
        locked.version += 1
        locked.save(update_fields=["role", "version"])
        audit.record(actor=actor, action="membership.role", obj=locked, details={"role": role})
    return locked


def _ensure_another_admin(membership: Membership) -> None:
    others = (
        Membership.objects.active()
        .filter(organization=membership.organization, role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if membership.organization.kind != Organization.Kind.SECRETARIAT and not others.exists():
        raise ValidationError(
            _("An organisation needs at least one active admin. Appoint another admin first.")
        )


def membership_deactivate(*, actor, membership: Membership, based_on_version: int) -> Membership:
    """End a membership and every session of that person."""
    if not permissions.can_manage_members(actor, membership.organization):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update()
            .select_related("organization", "user")
            .get(pk=membership.pk)
        )
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if not locked.is_active:
            return locked
        if locked.user_id == actor.pk and not permissions.is_coordinator(actor):
            raise ValidationError(_("You cannot deactivate your own membership."))
        if locked.is_admin:
            _ensure_another_admin(locked)
        locked.is_active = False
        locked.ended_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["is_active", "ended_at", "version"])
        _end_sessions([locked.user])
        audit.record(actor=actor, action="membership.deactivate", obj=locked)
        feeds.feed_end(actor=actor, user=locked.user, reason="membership.deactivate")
        _sync_staff_flag(locked.user)
    return locked


def membership_reactivate(*, actor, membership: Membership, based_on_version: int) -> Membership:
    if not permissions.can_manage_members(actor, membership.organization):
        raise PermissionDenied
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        locked.is_active = True
        locked.ended_at = None
        locked.version += 1
        locked.save(update_fields=["is_active", "ended_at", "version"])
        audit.record(actor=actor, action="membership.reactivate", obj=locked)
        _sync_staff_flag(locked.user)
    return locked


# --- invitations -----------------------------------------------------------------------------


def _send_invitation(invitation: Invitation, token: str) -> None:
    url = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
    outbox.queue_templated_email(
        to=invitation.email,
        template="accounts/email/invitation",
        context={"invitation": invitation, "accept_url": url, "valid_days": settings.INVITATION_VALID_DAYS},
    )


def invitation_create(
    *,
    actor,
    email: str,
    organization: Organization | None,
    role: str = Membership.Role.MEMBER,
    display_name: str = "",
    panel_discipline: str = "",
    talent_bank_discipline: str = "",
) -> tuple[Invitation, str]:
    """Invite someone. Returns the invitation and the raw token (only ever sent by email)."""
    email = email.strip().lower()
    if organization is None:
        if not permissions.can_invite_experts(actor):
            raise PermissionDenied
        if not (panel_discipline or talent_bank_discipline):
            raise ValidationError(_("Choose at least one discipline for the expert."))
        kind = Invitation.Kind.EXPERT
    else:
        if role not in permissions.invitable_roles(actor, organization):
            raise PermissionDenied
        if not organization.is_active:
            raise ValidationError(_("This organisation is not active."))
        if Membership.objects.active().filter(organization=organization, user__email__iexact=email).exists():
            raise ValidationError(_("This person is already a member of the organisation."))
        kind = Invitation.Kind.MEMBERSHIP
    with transaction.atomic():
        # A new invitation to the same place replaces the previous pending one.
        Invitation.objects.pending().filter(email__iexact=email, organization=organization, kind=kind).update(
            revoked_at=timezone.now()
        )
        token, token_hash = Invitation.new_token()
        invitation = Invitation.objects.create(
            kind=kind,
            email=email,
            display_name=display_name,
            organization=organization,
            role=role if organization else Membership.Role.MEMBER,
            panel_discipline=panel_discipline,
            talent_bank_discipline=talent_bank_discipline,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit.record(actor=actor, action="invitation.create", obj=invitation, organization=organization)
        _send_invitation(invitation, token)
    return invitation, token


def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status != "pending":
            raise ValidationError(_("Only a pending invitation can be revoked."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="invitation.revoke", obj=locked, organization=locked.organization)
    return locked


class InvitationInvalid(Exception):
    pass


def invitation_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or invitation.status != "pending":
        raise InvitationInvalid
    return invitation


def invitation_accept(
    *, token: str, user: User | None = None, display_name: str = "", password: str = ""
) -> User:
    """Accept an invitation: single use, within 7 days.

    ``user`` is the signed-in person whose email matches (an existing account joining another
    organisation); without it a new account is created with the given name and password. The
    invitation proves the address, so it is stored as verified.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=Invitation.hash_token(token)).first()
        )
        if invitation is None or invitation.status != "pending":
            raise InvitationInvalid
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _("An account with this email exists already. Sign in first, then open the link again.")
                )
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                display_name=display_name or invitation.display_name,
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another email address."))
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if invitation.kind == Invitation.Kind.EXPERT:
            profile, _created = ExpertProfile.objects.update_or_create(
                user=user,
                defaults={
                    "panel_discipline": invitation.panel_discipline,
                    "talent_bank_discipline": invitation.talent_bank_discipline,
                    "is_active": True,
                },
            )
            audit.record(actor=user, action="expert.join", obj=profile)
        else:
            membership_add(actor=user, user=user, organization=invitation.organization, role=invitation.role)
        audit.record(
            actor=user, action="invitation.accept", obj=invitation, organization=invitation.organization
        )
        outbox.notify(
            user=invitation.invited_by,
            title=_("%(email)s accepted your invitation") % {"email": invitation.email},
            url=reverse("accounts:organization_detail", args=[invitation.organization_id])
            if invitation.organization_id
            else reverse("accounts:expert_list"),
        )
    return user


# --- experts ---------------------------------------------------------------------------------


def expert_set_active(*, actor, profile: ExpertProfile, active: bool) -> ExpertProfile:
    permissions.require_coordinator(actor)
    with transaction.atomic():
        locked = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        if not active:
            _end_sessions([locked.user])
            feeds.feed_end(actor=actor, user=locked.user, reason="expert.deactivate")
        audit.record(actor=actor, action="expert.activate" if active else "expert.deactivate", obj=locked)
    return locked


# --- active organisation ---------------------------------------------------------------------

ACTIVE_ORG_SESSION_KEY = "portal_active_org"


def switch_active_organization(*, request, organization_id: int) -> Membership:
    membership = permissions.membership_in(request.user, organization_id)
    if membership is None:
        raise PermissionDenied
    request.session[ACTIVE_ORG_SESSION_KEY] = membership.organization_id
    return membership
