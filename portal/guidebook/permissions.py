"""Who may read and download: published guidebook editions are public, drafts are the
secretariat's; a material goes to its audience only (anyone else signed in gets 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.accounts.permissions import active_memberships, is_coordinator
from portal.core.permissions import get_or_404

from .models import Build, Chapter, Edition, Figure, Material, MaterialVersion, Section


def get_edition_for(user, pk) -> Edition:
    edition = get_or_404(Edition, pk)
    if edition.is_published or (user.is_authenticated and is_coordinator(user)):
        return edition
    raise Http404


def _coordinator(user) -> None:
    if not (user.is_authenticated and is_coordinator(user)):
        raise PermissionDenied


def get_edition_for_coordinator(user, pk) -> Edition:
    _coordinator(user)
    return get_or_404(Edition, pk)


def get_chapter_for_coordinator(user, pk) -> Chapter:
    _coordinator(user)
    return get_or_404(Chapter, pk, "edition")


def get_section_for_coordinator(user, pk) -> Section:
    _coordinator(user)
    return get_or_404(Section, pk, "chapter__edition")


def get_build_for_coordinator(user, pk) -> Build:
    _coordinator(user)
    return get_or_404(Build, pk, "edition")


def get_figure_for(user, pk) -> Figure:
    figure = get_or_404(Figure, pk, "edition")
    get_edition_for(user, figure.edition_id)
    return figure


def _attendee(user, event_id) -> bool:
    from portal.meetings.models import Registration

    return Registration.objects.filter(event_id=event_id, user=user, status="confirmed").exists()


def in_audience(user, material: Material) -> bool:
    A = Material.Audience
    if material.audience == A.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if is_coordinator(user):
        return True
    kinds = {m.organization.kind for m in active_memberships(user)}
    if material.audience == A.MEMBERS:
        return bool(kinds)
    if material.audience == A.MUNICIPALITIES:
        return "municipality" in kinds
    if material.audience == A.PARTNERS:
        return "partner" in kinds
    if material.audience == A.EVENT:
        return _attendee(user, material.event_id)
    return False


def needs_login(user, material: Material) -> bool:
    return not user.is_authenticated and material.audience != Material.Audience.PUBLIC


def get_material_for(user, pk) -> Material:
    """Raises Http404 for people outside the audience (and for withdrawn material, except for
    coordinators); the view sends signed-out visitors of non-public material to sign in."""
    material = get_or_404(Material, pk, "event")
    if material.withdrawn_at and not (user.is_authenticated and is_coordinator(user)):
        raise Http404
    if needs_login(user, material) or in_audience(user, material):
        return material
    raise Http404


def get_material_for_coordinator(user, pk) -> Material:
    _coordinator(user)
    return get_or_404(Material, pk, "event")


def get_version_for(user, pk) -> MaterialVersion:
    version = get_or_404(MaterialVersion, pk, "material__event")
    get_material_for(user, version.material_id)
    return version
