"""Reads of the guidebook and the materials library, always for a person."""

from __future__ import annotations

import re

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.html import escape

from portal.accounts.permissions import is_coordinator

from . import content, permissions
from .models import Build, Download, Edition, Material, MaterialVersion, Section


def editions_for(user):
    editions = Edition.objects.order_by("-fiscal_year")
    if user.is_authenticated and is_coordinator(user):
        return editions
    return editions.filter(status=Edition.Status.PUBLISHED)


def edition_page(edition: Edition) -> dict:
    return {
        "chapters": edition.chapters.prefetch_related("sections"),
        "builds": Build.objects.filter(edition=edition).order_by("-pk")[:5],
        "figures": edition.figures.all(),
    }


def figure_urls(edition: Edition):
    """``figure:N`` → the figure view's URL, for this edition's figures only (one query)."""
    from django.urls import reverse

    figures = set(edition.figures.values_list("pk", flat=True))
    return lambda n: reverse("guidebook:figure", args=[n]) if n in figures else None


def section_preview(section: Section, markdown: str) -> str:
    return content.resolve_figures(content.render(markdown), figure_urls(section.chapter.edition))


def reader(edition: Edition, number: int) -> dict:
    chapters = list(edition.chapters.all())
    current = next((c for c in chapters if c.number == number), None)
    index = chapters.index(current) if current else -1
    urls = figure_urls(edition)
    return {
        "toc": chapters,
        "chapter": current,
        "sections": [(s, content.resolve_figures(s.body_html, urls)) for s in current.sections.all()]
        if current
        else [],
        "previous": chapters[index - 1] if index > 0 else None,
        "next": chapters[index + 1] if 0 <= index < len(chapters) - 1 else None,
    }


def _snippet(text: str, query: str, width: int = 60) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return escape(text[: width * 2])
    start = max(at - width, 0)
    before, hit, after = (
        text[start:at],
        text[at : at + len(query)],
        text[at + len(query) : at + len(query) + width],
    )
    plain = re.sub(r"[#*_`>|\[\]()!-]+", " ", before)
    return f"{'…' if start else ''}{escape(plain)}<mark>{escape(hit)}</mark>{escape(after)}…"


def search(edition: Edition, query: str) -> list[dict]:
    query = query.strip()
    if not query:
        return []
    hits = (
        Section.objects.filter(chapter__edition=edition)
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .select_related("chapter")
        .order_by("chapter__number", "order")[:50]
    )
    return [
        {"section": s, "chapter": s.chapter, "snippet": _snippet(f"{s.title} {s.body}", query)} for s in hits
    ]


def material_years() -> list[int]:
    return sorted(set(Material.objects.values_list("fiscal_year", flat=True)), reverse=True)


def latest_version(material: Material) -> MaterialVersion | None:
    return material.versions.order_by("-number").first()


def materials_for(user, *, fiscal_year=None, category=None):
    """The library list: the visibility queryset with each material's latest version."""
    latest = MaterialVersion.objects.filter(material=OuterRef("pk")).order_by("-number")
    materials = (
        permissions.visible_materials(user)
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_size=Subquery(latest.values("size")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
            latest_at=Subquery(latest.values("uploaded_at")[:1]),
        )
        .select_related("event")
    )
    if fiscal_year:
        materials = materials.filter(fiscal_year=fiscal_year)
    if category:
        materials = materials.filter(category=category)
    return materials.order_by("-fiscal_year", "category", "title", "pk")


def material_list(user, *, fiscal_year=None, category=None):
    """The library list's rows: the columns it shows (not each material's description, nor the
    description and lists of the meeting it belongs to)."""
    return materials_for(user, fiscal_year=fiscal_year, category=category).only(
        "title", "category", "fiscal_year", "audience", "event__title"
    )


def material_page(material: Material) -> dict:
    return {"versions": material.versions.select_related("uploaded_by")}


KINDS = ["public", "municipality", "partner", "agency", "commissioners", "secretariat", "expert"]


def download_stats_materials():
    """The statistics page's materials in its order (paged before anything is counted)."""
    return Material.objects.order_by("-fiscal_year", "title", "pk")


def download_counts(materials) -> list[dict]:
    """Downloads per document and organisation kind (columns in KINDS order), for coordinators:
    counted for the given page of materials only, through the (material, kind) index — not
    grouped over every download of the country on each view."""
    materials = list(materials)
    rows = (
        Download.objects.filter(material_id__in=[m.pk for m in materials])
        .values("material_id", "organization_kind")
        .annotate(n=Count("*"))  # COUNT(*): the index alone answers (COUNT(id) reads every row)
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["material_id"], {})[row["organization_kind"]] = row["n"]
    return [
        {
            "material": m,
            "row": [counts.get(m.pk, {}).get(k, 0) for k in KINDS],
            "total": sum(counts.get(m.pk, {}).values()),
        }
        for m in materials
    ]


def event_materials(event, user):
    """Library materials for a meeting's attendees, shown on the meeting page."""
    return list(materials_for(user).filter(event=event))
