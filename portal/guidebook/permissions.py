"""Who may read and download: published guidebook editions are public, drafts are the
secretariat's; a material goes to its audience only (anyone else signed in gets 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
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


def _audiences_for(user) -> list[str] | None:
    """The audiences whose material the person may see; None means all (coordinators)."""
    A = Material.Audience
    if not user.is_authenticated:
        return [A.PUBLIC]
    if is_coordinator(user):
        return None
    kinds = {m.organization.kind for m in active_memberships(user)}
    audiences: list[str] = [A.PUBLIC]
    if kinds:
        audiences.append(A.MEMBERS)
    if "municipality" in kinds:
        audiences.append(A.MUNICIPALITIES)
    if "partner" in kinds:
        audiences.append(A.PARTNERS)
    return audiences


def visible_materials(user):
    """The one visibility queryset of the library, for the list and every download: coordinators
    see everything (withdrawn too); others the material of their audiences, and a meeting's
    material only with a confirmed seat of their own at that meeting (the meetings app's rule)."""
    audiences = _audiences_for(user)
    if audiences is None:
        return Material.objects.all()
    from portal.meetings.selectors import attended_events

    return Material.objects.filter(
        Q(audience__in=audiences) | Q(audience=Material.Audience.EVENT, event_id__in=attended_events(user)),
        withdrawn_at__isnull=True,
    )


def in_audience(user, material: Material) -> bool:
    return visible_materials(user).filter(pk=material.pk).exists()


def needs_login(user, material: Material) -> bool:
    return not user.is_authenticated and material.audience != Material.Audience.PUBLIC


def get_material_for(user, pk) -> Material:
    """Raises Http404 for people outside the audience (and for withdrawn material, except for
    coordinators); the view sends signed-out visitors of non-public material to sign in."""
    material = visible_materials(user).select_related("event").filter(pk=pk).first()
    if material is not None:
        return material
    if not user.is_authenticated:
        material = get_or_404(Material, pk, "event")
        if not material.withdrawn_at and needs_login(user, material):
            return material
    raise Http404


def get_material_for_coordinator(user, pk) -> Material:
    _coordinator(user)
    return get_or_404(Material, pk, "event")


def get_version_for(user, pk) -> MaterialVersion:
    version = get_or_404(MaterialVersion, pk, "material__event")
    get_material_for(user, version.material_id)
    return version
