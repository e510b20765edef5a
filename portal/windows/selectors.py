"""Reads of the consultation-window directory."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from portal.accounts.models import Organization

from . import permissions


def public_directory(q: str = ""):
    """All municipalities with their active windows, grouped 区 / 市 / 町村."""
    windows = permissions.public_windows().order_by("order", "pk")
    orgs = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True)
    if q:
        orgs = orgs.filter(
            Q(name__icontains=q)
            | Q(kana__icontains=q)
            | Q(windows__name__icontains=q, windows__is_active=True)
            | Q(windows__department__icontains=q, windows__is_active=True)
        ).distinct()
    orgs = orgs.prefetch_related(Prefetch("windows", queryset=windows, to_attr="active_windows")).order_by(
        "code"
    )
    groups: dict[str, list[Organization]] = {"ward": [], "city": [], "townvillage": []}
    for org in orgs:
        key = org.municipality_kind if org.municipality_kind in ("ward", "city") else "townvillage"
        groups[key].append(org)
    return groups


def directory_rows():
    """Flat rows for the CSV / PDF downloads."""
    return (
        permissions.public_windows()
        .select_related("organization")
        .order_by("organization__code", "order", "pk")
    )


def published_phone_numbers():
    """The numbers the public directory shows: public bodies' numbers, not personal data."""
    return list(permissions.public_windows().values_list("phone", flat=True))


def directory_status(user, fiscal_year: int):
    """Every active municipality with its window count and this year's confirmation (coordinators)."""
    permissions.require_coordinator(user)
    confirmed = permissions.visible_confirmations(user).filter(
        organization=OuterRef("pk"), fiscal_year=fiscal_year
    )
    return (
        Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True)
        .annotate(
            confirmed=Exists(confirmed),
            confirmed_at=Subquery(confirmed.values("confirmed_at")[:1]),
            window_count=Count("windows", filter=Q(windows__is_active=True)),
        )
        .order_by("code")
    )


def windows_of(user, organization):
    return (
        permissions.visible_windows(user)
        .filter(organization=organization, is_active=True)
        .order_by("order", "pk")
    )


def active_windows_of(organization):
    """The municipality's published windows (what the public directory shows of it)."""
    return permissions.public_windows().filter(organization=organization).order_by("order", "pk")


def directory_confirmation(user, organization, fiscal_year: int):
    return (
        permissions.visible_confirmations(user)
        .filter(organization=organization, fiscal_year=fiscal_year)
        .first()
    )


def active_municipalities(only_ids=None):
    qs = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by("code")
    ids = [int(i) for i in (only_ids or []) if str(i).isdigit()]
    return qs.filter(pk__in=ids) if ids else qs
