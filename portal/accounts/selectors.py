"""Reads of organisations and people, always for a given user."""

from __future__ import annotations

from django.db.models import Q

from portal.core.paging import count_per_row

from . import permissions
from .models import ExpertProfile, Invitation, Membership, Organization, User


def organizations_visible_to(user):
    qs = Organization.objects.all()
    if permissions.is_coordinator(user):
        return qs
    ids = [m.organization_id for m in permissions.active_memberships(user)]
    return qs.filter(pk__in=ids)


LIST_ORDER = ("kind", "code", "kana", "name", "pk")


# A row's person and the organisation they act for, as lists of registrations show them (name or
# e-mail, and Organization.label's columns, with the code the lists sort by).
PERSON_AT_ORGANISATION = (
    "user__display_name",
    "user__email",
    "organization__kind",
    "organization__legal_form",
    "organization__name",
    "organization__branch",
    "organization__code",
)


def organizations_for_list(user):
    """The organisation list's rows in its order (filtered and paged before anything is counted)."""
    return organizations_visible_to(user).order_by(*LIST_ORDER)


def organization_rows(keys):
    """One page of the list with its member and administrator counts, and the names of each
    organisation's locations (in the locations' own order) as ``location_names``: read in one
    statement for the page, where prefetching built a queryset per organisation."""
    active = Membership.objects.filter(is_active=True, user__is_active=True)
    rows = list(
        Organization.objects.filter(pk__in=keys).annotate(
            active_members=count_per_row(active, "organization"),
            admin_count=count_per_row(active.filter(role=Membership.Role.ADMIN), "organization"),
        )
    )
    names: dict[int, list[str]] = {}
    located = (
        Organization.locations.through.objects.filter(from_organization_id__in=keys)
        .order_by(*(f"to_organization__{f}" for f in Organization._meta.ordering or ()))
        .values_list("from_organization_id", "to_organization__name")
    )
    for organization_id, name in located:
        names.setdefault(organization_id, []).append(name)
    for org in rows:
        org.location_names = names.get(org.pk, [])  # type: ignore[attr-defined]
    return rows


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
    """Active organisations (the secretariat aside) with no active administrator. The
    organisations with one are read once from the memberships index into a hashed set (NOT IN):
    probing the index once per organisation (NOT EXISTS) took twice as long for 2,000 of them,
    and a count grouped over every membership of the country longer still."""
    with_admin = Membership.objects.filter(is_active=True, role=Membership.Role.ADMIN).values(
        "organization_id"
    )
    return (
        Organization.objects.filter(is_active=True)
        .exclude(kind=Organization.Kind.SECRETARIAT)
        .exclude(pk__in=with_admin)
    )


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def active_members(organization) -> list:
    """The people who act for an organisation now (for notifications)."""
    return [
        m.user for m in Membership.objects.active().filter(organization=organization).select_related("user")
    ]


def coordinators() -> list:
    """Every active member of the secretariat but its counsellors (相談員)."""
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organization__kind=Organization.Kind.SECRETARIAT)
        .exclude(role=Membership.Role.COUNSELLOR)
        .select_related("user")
    ]


def counsellors() -> list:
    """Who answers メール相談: the secretariat's counsellors and its coordinators."""
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organization__kind=Organization.Kind.SECRETARIAT)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ]


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------


def staff_rows(organizations, *, admins_only: bool = False):
    """The people who act for ``organizations`` now (a queryset or a list of ids), as rows of
    ``user_id`` / ``organization_id``: ended memberships, deactivated people and organisations
    are left out."""
    rows = Membership.objects.active().filter(organization__in=organizations)
    if admins_only:
        rows = rows.filter(role=Membership.Role.ADMIN)
    return rows.values("user_id", "organization_id")


def active_membership_exists():
    """A condition on rows with ``user_id`` and ``organization_id``: the person still acts for that
    organisation (membership not ended, person and organisation active)."""
    from django.db.models import Exists, OuterRef

    return Exists(
        Membership.objects.active().filter(
            user_id=OuterRef("user_id"), organization_id=OuterRef("organization_id")
        )
    )


def active_person_exists():
    """A condition on rows with ``user_id`` written to personally, not for an organisation (an
    expert on a panel, the secretariat's staff of a day): the person is active and still an active
    expert or a member of the secretariat."""
    from django.db.models import Exists, OuterRef

    return Exists(
        User.objects.filter(pk=OuterRef("user_id"), is_active=True).filter(
            Q(expert__is_active=True)
            | Q(
                memberships__is_active=True,
                memberships__organization__kind=Organization.Kind.SECRETARIAT,
                memberships__organization__is_active=True,
            )
        )
    )


def organizations_for_mailing(*, kinds=(), municipality_kinds=(), municipalities=(), within=None):
    """Active organisations a coordinator writes to: of ``kinds``; where ``municipality_kinds``
    or ``municipalities`` are given, only municipalities of those kinds / those municipalities and
    partner organisations located there; ``within`` (ids) narrows further (programme participants)."""
    qs = Organization.objects.filter(is_active=True).exclude(kind=Organization.Kind.SECRETARIAT)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if municipality_kinds:
        qs = qs.filter(
            Q(kind=Organization.Kind.MUNICIPALITY, municipality_kind__in=municipality_kinds)
            | Q(locations__municipality_kind__in=municipality_kinds)
        )
    if municipalities:
        qs = qs.filter(Q(pk__in=municipalities) | Q(locations__in=municipalities))
    if within is not None:
        qs = qs.filter(pk__in=within)
    return Organization.objects.filter(pk__in=qs.values("pk"))


def municipalities_for_choice():
    return Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by(
        "code", "pk"
    )


def person_with_organization(user_id, organization_id):
    """A person and the organisation they are written to for (None when written to personally)."""
    user = User.objects.get(pk=user_id)
    organization = Organization.objects.filter(pk=organization_id).first() if organization_id else None
    return user, organization
