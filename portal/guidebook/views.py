"""Thin views of the guidebook and the materials library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from portal.accounts.permissions import is_coordinator, require_coordinator
from portal.core import http, streaming
from portal.core.dates import fiscal_year_label
from portal.core.exceptions import StaleEdit
from portal.core.forms import rebase

from . import permissions, selectors, services
from .forms import (
    ChapterForm,
    EditionEditForm,
    EditionForm,
    FigureForm,
    LibraryFilter,
    MaterialEditForm,
    MaterialForm,
    SectionAddForm,
    SectionForm,
    VersionForm,
)
from .models import Material

PAGE_SIZE = 50


def _coordinator(request) -> bool:
    return request.user.is_authenticated and is_coordinator(request.user)


# --- Guidebook -----------------------------------------------------------------------------------


def edition_list(request):
    return render(
        request,
        "guidebook/edition_list.html",
        {"editions": selectors.editions_for(request.user), "is_coordinator": _coordinator(request)},
    )


@login_required
def edition_create(request):
    require_coordinator(request.user)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The edition was created."))
            return redirect("guidebook:edition_detail", edition.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "guidebook/edition_form.html", {"form": form})


@login_required
def edition_edit(request, pk):
    edition = permissions.get_edition_for_coordinator(request.user, pk)
    initial = {"title": edition.title, "subtitle": edition.subtitle, "foreword": edition.foreword}
    form = EditionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edition_update(actor=request.user, edition=edition, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("guidebook:edition_detail", edition.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "guidebook/edition_form.html", {"form": form, "edition": edition})


def _render_edition(request, edition, *, status=200, **forms):
    """The edition page; a form that failed comes back bound, so nothing typed is lost."""
    return render(
        request,
        "guidebook/edition_detail.html",
        {
            "edition": edition,
            "label": fiscal_year_label(edition.fiscal_year),
            "is_coordinator": _coordinator(request),
            "published_build": services.published_build(edition),
            "chapter_form": ChapterForm(),
            "figure_form": FigureForm(),
            **selectors.edition_page(edition),
            **forms,
        },
        status=status,
    )


def edition_detail(request, pk):
    return _render_edition(request, permissions.get_edition_for(request.user, pk))


def chapter_read(request, pk, number):
    edition = permissions.get_edition_for(request.user, pk)
    page = selectors.reader(edition, number)
    if page["chapter"] is None:
        raise Http404
    return render(request, "guidebook/chapter.html", {"edition": edition, **page})


def search(request, pk):
    edition = permissions.get_edition_for(request.user, pk)
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "guidebook/search.html",
        {"edition": edition, "query": query, "results": selectors.search(edition, query)},
    )


@require_safe
def figure(request, pk):
    item = permissions.get_figure_for(request.user, pk)
    return streaming.serve(
        request,
        item.image,
        filename=f"figure-{item.pk}.{item.content_type.split('/')[-1]}",
        content_type=item.content_type,
        inline=True,
        public=item.edition.is_published,
        version=item.sha256,
    )


def _back_to_edition(request, edition, exc=None):
    if exc is not None:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("guidebook:edition_detail", edition.pk)


@login_required
@require_POST
def chapter_add(request, pk):
    edition = permissions.get_edition_for_coordinator(request.user, pk)
    form = ChapterForm(request.POST)
    if form.is_valid():
        try:
            services.chapter_save(actor=request.user, edition=edition, **form.cleaned_data)
            return _back_to_edition(request, edition)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _render_edition(request, edition, status=400, chapter_form=form)


@login_required
@require_POST
def section_add(request, pk):
    chapter = permissions.get_chapter_for_coordinator(request.user, pk)
    form = SectionAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the section a title."))
        return _back_to_edition(request, chapter.edition)
    try:
        section = services.section_add(actor=request.user, chapter=chapter, title=form.cleaned_data["title"])
    except ValidationError as exc:
        return _back_to_edition(request, chapter.edition, exc)
    return redirect("guidebook:section_edit", section.pk)


@login_required
def section_edit(request, pk):
    section = permissions.get_section_for_coordinator(request.user, pk)
    initial = {
        "order": section.order,
        "title": section.title,
        "body": section.body,
        "version": section.version,
    }
    form = SectionForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.section_save(
                actor=request.user,
                section=section,
                based_on_version=data["version"],
                title=data["title"],
                body=data["body"],
                order=data["order"],
            )
            messages.success(request, _("The section was saved."))
            return redirect("guidebook:section_edit", section.pk)
        except StaleEdit as exc:
            conflict = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this section in the meantime. Your text is kept below and "
                    "theirs is shown next to it; merge them and save again."
                ),
            )
            rebase(form, conflict.version)
        except ValidationError as exc:
            form.add_error(None, exc)
    preview = selectors.section_preview(
        section, form.data.get("body", section.body) if form.is_bound else section.body
    )
    return render(
        request,
        "guidebook/section_form.html",
        {"section": section, "form": form, "conflict": conflict, "preview": preview},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def section_delete(request, pk):
    section = permissions.get_section_for_coordinator(request.user, pk)
    edition = section.chapter.edition
    try:
        services.section_delete(actor=request.user, section=section)
        messages.success(request, _("The section was deleted."))
    except ValidationError as exc:
        return _back_to_edition(request, edition, exc)
    return _back_to_edition(request, edition)


@login_required
@require_POST
def figure_add(request, pk):
    edition = permissions.get_edition_for_coordinator(request.user, pk)
    form = FigureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.figure_add(
                actor=request.user,
                edition=edition,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
                caption=form.cleaned_data["caption"],
            )
            messages.success(
                request, _("Figure added. Put it in a section with ![text](figure:%(n)d).") % {"n": item.pk}
            )
            return _back_to_edition(request, edition)
        except ValidationError as exc:
            form.add_error("image", exc)
    return _render_edition(request, edition, status=400, figure_form=form)


@login_required
def publish(request, pk):
    """Publishing freezes the edition: a confirmation page says so; only its confirmed POST
    publishes."""
    edition = permissions.get_edition_for_coordinator(request.user, pk)
    if not (request.method == "POST" and request.POST.get("confirmed")):
        if edition.is_published:
            return redirect("guidebook:edition_detail", edition.pk)
        return render(
            request,
            "guidebook/publish_confirm.html",
            {"edition": edition, "chapters": edition.chapters.count()},
        )
    try:
        build = services.publish(actor=request.user, edition=edition)
    except ValidationError as exc:
        return _back_to_edition(request, edition, exc)
    messages.success(request, _("The edition was published; its PDF is being built."))
    return redirect("guidebook:build_detail", build.pk)


@login_required
@require_POST
def preview(request, pk):
    edition = permissions.get_edition_for_coordinator(request.user, pk)
    build = services.build_request(actor=request.user, edition=edition, preview=not edition.is_published)
    return redirect("guidebook:build_detail", build.pk)


@login_required
def build_detail(request, pk):
    build = permissions.get_build_for_coordinator(request.user, pk)
    return render(request, "guidebook/build.html", {"build": build, "note": http.job_note(build)})


@login_required
@require_GET
def build_status(request, pk):
    build = permissions.get_build_for_coordinator(request.user, pk)
    return http.job_progress(
        status=build.status,
        label=build.stage or build.get_status_display(),
        done=build.percent,
        total=100,
        percent=build.percent,
        reload=True,
        note=http.job_note(build),
    )


@login_required
@require_GET
def build_pdf(request, pk):
    build = permissions.get_build_for_coordinator(request.user, pk)
    if not build.file:
        raise Http404
    name = f"{build.edition.title}_{fiscal_year_label(build.edition.fiscal_year)}版"
    return streaming.serve(
        request,
        build.file,
        filename=f"{name}_プレビュー.pdf" if build.preview else f"{name}.pdf",
        content_type=http.PDF,
        version=build.content_hash,
    )


@require_safe
def edition_pdf(request, pk):
    edition = permissions.get_edition_for(request.user, pk)
    build = services.published_build(edition)
    if build is None:
        raise Http404
    return streaming.serve(
        request,
        build.file,
        filename=f"{edition.title}_{fiscal_year_label(edition.fiscal_year)}版.pdf",
        content_type=http.PDF,
        public=True,
        version=build.content_hash,
    )


# --- Materials -----------------------------------------------------------------------------------


def material_list(request):
    form = LibraryFilter(request.GET or None, years=selectors.material_years())
    year = category = None
    if form.is_valid():
        year, category = form.cleaned_data["year"], form.cleaned_data["category"]
    return render(
        request,
        "guidebook/material_list.html",
        {
            "materials": Paginator(
                selectors.material_list(request.user, fiscal_year=year, category=category), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "filter": form,
            "is_coordinator": _coordinator(request),
        },
    )


@login_required
def material_create(request):
    require_coordinator(request.user)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, changelog, event = data.pop("file"), data.pop("changelog"), data.pop("event")
        try:
            material = services.material_create(
                actor=request.user, upload=upload, changelog=changelog, event=event, **data
            )
            messages.success(request, _("The material was added."))
            return redirect("guidebook:material_detail", material.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "guidebook/material_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def material_edit(request, pk):
    material = permissions.get_material_for_coordinator(request.user, pk)
    form = MaterialEditForm(request.POST or None, instance=material)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        event = data.pop("event")
        try:
            services.material_update(actor=request.user, material=material, event=event, **data)
            messages.success(request, _("Saved."))
            return redirect("guidebook:material_detail", material.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "guidebook/material_form.html", {"form": form, "material": material})


def material_detail(request, pk):
    material = permissions.get_material_for(request.user, pk)
    if permissions.needs_login(request.user, material):
        return redirect_to_login(request.get_full_path())
    return _render_material(request, material)


def _render_material(request, material, *, status=200, version_form=None):
    """The material page; a refused new version comes back with the changelog that was typed."""
    return render(
        request,
        "guidebook/material_detail.html",
        {
            "material": material,
            "is_coordinator": _coordinator(request),
            "version_form": version_form or VersionForm(),
            **selectors.material_page(material),
        },
        status=status,
    )


@login_required
@require_POST
def version_add(request, pk):
    material = permissions.get_material_for_coordinator(request.user, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.version_add(
                actor=request.user,
                material=material,
                upload=form.cleaned_data["file"],
                changelog=form.cleaned_data["changelog"],
            )
            messages.success(request, _("The new version was added."))
            return redirect("guidebook:material_detail", material.pk)
        except ValidationError as exc:
            form.add_error("file", exc)
    return _render_material(request, material, status=400, version_form=form)


@login_required
@require_POST
def material_withdraw(request, pk):
    material = permissions.get_material_for_coordinator(request.user, pk)
    withdraw = material.withdrawn_at is None
    services.material_withdraw(actor=request.user, material=material, withdraw=withdraw)
    messages.success(
        request, _("The material was withdrawn.") if withdraw else _("The material is available again.")
    )
    return redirect("guidebook:material_detail", material.pk)


def _serve_version(request, material, version):
    if permissions.needs_login(request.user, material):
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        services.record_download(
            user=request.user,
            organization=getattr(request, "organization", None),
            material=material,
            version=version,
            request_range=request.headers.get("Range"),
        )
    return streaming.serve(
        request,
        version.file,
        filename=version.original_name,
        content_type=version.content_type,
        public=material.audience == Material.Audience.PUBLIC,
        version=version.sha256,
    )


@require_safe
def download(request, pk):
    """The latest version of a material."""
    material = permissions.get_material_for(request.user, pk)
    version = selectors.latest_version(material)
    if version is None:
        raise Http404
    return _serve_version(request, material, version)


@require_safe
def version_download(request, pk):
    version = permissions.get_version_for(request.user, pk)
    return _serve_version(request, version.material, version)


@login_required
def download_stats(request):
    require_coordinator(request.user)
    page = Paginator(selectors.download_stats_materials(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "guidebook/stats.html",
        {"page": page, "materials": selectors.download_counts(page.object_list), "kinds": selectors.KINDS},
    )
