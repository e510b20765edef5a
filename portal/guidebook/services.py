"""Every write of the guidebook and the materials library."""

from __future__ import annotations

import base64
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.permissions import active_memberships, require_coordinator
from portal.core import audit, http, pdf, uploads
from portal.core.dates import fiscal_year_label
from portal.core.exceptions import StaleEdit

from . import content
from .models import Build, Chapter, Download, Edition, Figure, Material, MaterialVersion, Section

MAX_MATERIAL_BYTES = 200 * 1024 * 1024
FIGURE_TYPES = ("image/png", "image/jpeg")
BUILD_TEMPLATE_VERSION = "2"  # bump when the PDF layout changes, so cached PDFs are rebuilt


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    field_file.seek(0)
    for chunk in iter(lambda: field_file.read(1024 * 1024), b""):
        digest.update(chunk)
    field_file.seek(0)
    return digest.hexdigest()


def _editable(edition: Edition) -> Edition:
    """Lock the edition's row (inside the caller's transaction) and refuse if it is published."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.is_published:
        raise ValidationError(_("A published edition is frozen. Start the next edition to make changes."))
    return locked


# --- Editions ------------------------------------------------------------------------------------


def edition_create(*, actor, fiscal_year: int, title: str, subtitle: str = "", copy_from=None) -> Edition:
    """A new draft edition, optionally starting from an earlier edition's chapters and figures."""
    require_coordinator(actor)
    if Edition.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("There is already an edition for %(year)s.") % {"year": fiscal_year_label(fiscal_year)}
        )
    with transaction.atomic():
        edition = Edition.objects.create(
            fiscal_year=fiscal_year, title=title, subtitle=subtitle, created_by=actor
        )
        if copy_from is not None:
            edition.foreword = copy_from.foreword
            edition.save(update_fields=["foreword"])
            figures = {}
            for figure in copy_from.figures.all():
                old = figure.pk
                figure.pk, figure.edition = None, edition
                figure.save()
                figures[old] = figure.pk
            for chapter in copy_from.chapters.prefetch_related("sections"):
                sections = list(chapter.sections.all())
                chapter.pk, chapter.edition = None, edition
                chapter.save()
                for section in sections:
                    body = section.body
                    for old, new in figures.items():
                        body = body.replace(f"(figure:{old})", f"(figure:{new})")
                    Section.objects.create(
                        chapter=chapter,
                        order=section.order,
                        title=section.title,
                        body=body,
                        body_html=content.render(body),
                        updated_by=actor,
                    )
        audit.record(actor=actor, action="guidebook.edition_create", obj=edition)
    return edition


def edition_update(*, actor, edition: Edition, title: str, subtitle: str, foreword: str) -> Edition:
    require_coordinator(actor)
    with transaction.atomic():
        locked = _editable(edition)
        locked.title, locked.subtitle, locked.foreword = title, subtitle, foreword
        locked.save(update_fields=["title", "subtitle", "foreword"])
        audit.record(actor=actor, action="guidebook.edition_update", obj=locked)
    return locked


def chapter_save(
    *, actor, edition: Edition, chapter: Chapter | None = None, number: int, title: str
) -> Chapter:
    require_coordinator(actor)
    with transaction.atomic():
        _editable(edition)
        clash = Chapter.objects.filter(edition=edition, number=number)
        if chapter is not None:
            clash = clash.exclude(pk=chapter.pk)
        if clash.exists():
            raise ValidationError(_("Chapter %(n)d exists already.") % {"n": number})
        chapter = chapter or Chapter(edition=edition)
        chapter.number, chapter.title = number, title
        chapter.save()
        audit.record(actor=actor, action="guidebook.chapter_save", obj=edition)
    return chapter


def section_add(*, actor, chapter: Chapter, title: str, body: str = "") -> Section:
    require_coordinator(actor)
    with transaction.atomic():
        _editable(chapter.edition)
        order = (chapter.sections.aggregate(m=Max("order"))["m"] or 0) + 1
        section = Section.objects.create(
            chapter=chapter,
            order=order,
            title=title,
            body=body,
            body_html=content.render(body),
            updated_by=actor,
        )
        audit.record(actor=actor, action="guidebook.section_add", obj=chapter.edition)
    return section


def section_save(
    *, actor, section: Section, based_on_version: int, title: str, body: str, order: int
) -> Section:
    """Save a section; someone else's save in the meantime is refused (StaleEdit), never overwritten."""
    require_coordinator(actor)
    with transaction.atomic():
        _editable(section.chapter.edition)
        locked = Section.objects.select_for_update().select_related("chapter__edition").get(pk=section.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        locked.title, locked.body, locked.order = title, body, order
        locked.body_html = content.render(body)
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit.record(actor=actor, action="guidebook.section_save", obj=locked.chapter.edition)
    return locked


def section_delete(*, actor, section: Section) -> None:
    require_coordinator(actor)
    with transaction.atomic():
        _editable(section.chapter.edition)
        audit.record(actor=actor, action="guidebook.section_delete", obj=section.chapter.edition)
        section.delete()


def figure_add(*, actor, edition: Edition, upload, alt: str, caption: str = "") -> Figure:
    require_coordinator(actor)
    content_type = uploads.validate_upload(upload, allowed=FIGURE_TYPES)
    with transaction.atomic():
        _editable(edition)
        figure = Figure(edition=edition, alt=alt, caption=caption, content_type=content_type)
        uploads.store(figure.image, upload, content_type)
        figure.sha256 = _sha256(figure.image)
        figure.save()
        audit.record(actor=actor, action="guidebook.figure_add", obj=edition)
    return figure


# --- PDF build -----------------------------------------------------------------------------------


def content_hash(edition: Edition) -> str:
    """Everything that shapes the PDF: texts, figures (by their bytes) and the layout's version."""
    data = {
        "layout": BUILD_TEMPLATE_VERSION,
        "edition": [edition.fiscal_year, edition.title, edition.subtitle, edition.foreword],
        "chapters": [
            [c.number, c.title, [[s.order, s.title, s.body] for s in c.sections.all()]]
            for c in edition.chapters.prefetch_related("sections")
        ],
        "figures": sorted([f.pk, f.sha256, f.alt, f.caption] for f in edition.figures.all()),
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def build_request(*, actor, edition: Edition, preview: bool = False) -> Build:
    """A PDF of the edition's current content: a finished build with the same content is reused;
    otherwise a Celery task builds it and the build page shows its progress."""
    require_coordinator(actor)
    from . import tasks

    digest = content_hash(edition)
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)
        existing = (
            Build.objects.filter(edition=edition, content_hash=digest)
            .exclude(status=Build.Status.FAILED)
            .order_by("-pk")
            .first()
        )
        if existing is not None and (existing.preview == preview or not existing.preview):
            if not http.job_is_stale(existing):
                return existing  # finished, or being built right now
            return _restart(Build.objects.select_for_update().get(pk=existing.pk))
        build = Build.objects.create(
            edition=edition, content_hash=digest, preview=preview, requested_by=actor
        )
        audit.record(actor=actor, action="guidebook.build_request", obj=edition, details={"preview": preview})
        transaction.on_commit(lambda: tasks.build_pdf.delay(build_id=build.pk))
    return build


def publish(*, actor, edition: Edition) -> Build:
    """Freeze the edition and build (or reuse) its PDF."""
    require_coordinator(actor)
    with transaction.atomic():
        locked = _editable(edition)
        if not locked.chapters.exists():
            raise ValidationError(_("An edition needs at least one chapter before it is published."))
        locked.status = Edition.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_hash = content_hash(locked)
        locked.save(update_fields=["status", "published_at", "published_hash"])
        audit.record(actor=actor, action="guidebook.publish", obj=locked)
        build = build_request(actor=actor, edition=locked, preview=False)
    return build


def _progress(build: Build, stage: str, percent: int, **extra) -> None:
    Build.objects.filter(pk=build.pk).update(
        stage=stage, percent=percent, heartbeat_at=timezone.now(), **extra
    )


def _restart(locked: Build) -> Build:
    """Queue a lost build again (inside the caller's transaction, the row locked); one lost
    ``http.MAX_RESTARTS`` times stops as failed."""
    from . import tasks

    now = timezone.now()
    if locked.restarts >= http.MAX_RESTARTS:
        locked.status, locked.finished_at = Build.Status.FAILED, now
        locked.error = _("The build was interrupted %(n)d times and has stopped. Build it again.") % {
            "n": locked.restarts + 1
        }
        locked.save(update_fields=["status", "finished_at", "error"])
        audit.record(actor=None, action="guidebook.build_abandon", obj=locked.edition)
        return locked
    locked.status, locked.stage, locked.percent = Build.Status.QUEUED, "", 0
    locked.restarts += 1
    locked.heartbeat_at = now
    locked.save(update_fields=["status", "stage", "percent", "restarts", "heartbeat_at"])
    audit.record(
        actor=None, action="guidebook.build_restart", obj=locked.edition, details={"build": locked.pk}
    )
    transaction.on_commit(lambda: tasks.build_pdf.delay(build_id=locked.pk))
    return locked


def restart_stale_builds(*, now=None) -> int:
    """The beat task's body: every queued or running build silent for ``http.STALE_AFTER`` is
    queued again (or given up). Returns how many were found lost."""
    count = 0
    lost = Build.objects.filter(status__in=http.ACTIVE, heartbeat_at__lt=http.stale_before(now))
    for pk in lost.values_list("pk", flat=True):
        with transaction.atomic():
            locked = Build.objects.select_for_update().select_related("edition").get(pk=pk)
            if not http.job_is_stale(locked, now):
                continue  # a worker reported in meanwhile
            _restart(locked)
            count += 1
    return count


def edition_html(edition: Edition, *, preview: bool = False) -> str:
    figures = {f.pk: f for f in edition.figures.all()}
    inlined: dict[int, str] = {}

    def figure_file(pk: int) -> str | None:
        """Figures go into the PDF as data: URIs read through the storage (whatever it is)."""
        figure = figures.get(pk)
        if figure is None:
            return None
        if pk not in inlined:
            with figure.image.open("rb") as handle:
                inlined[pk] = f"data:{figure.content_type};base64,{base64.b64encode(handle.read()).decode()}"
        return inlined[pk]

    chapters = []
    for chapter in edition.chapters.prefetch_related("sections"):
        sections = [(s, content.resolve_figures(s.body_html, figure_file)) for s in chapter.sections.all()]
        chapters.append((chapter, sections))
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "guidebook/pdf/edition.html",
            {
                "edition": edition,
                "edition_label": f"{fiscal_year_label(edition.fiscal_year)}版",
                "foreword": content.resolve_figures(content.render(edition.foreword), figure_file),
                "chapters": chapters,
                "preview": preview,
            },
        )


def build_run(build_id: int) -> Build | None:
    """The Celery task's body: safe to run twice (a finished build is left alone)."""
    build = Build.objects.select_related("edition").filter(pk=build_id).first()
    if build is None or build.status == Build.Status.DONE:
        return build
    _progress(build, _("Preparing the text"), 5, status=Build.Status.RUNNING)
    try:
        html = edition_html(build.edition, preview=build.preview)
        _progress(build, _("Laying out the pages"), 20)
        document = pdf.render_html(html)
        _progress(build, _("Writing the PDF"), 80)
        data = document.write_pdf()
        build.file.save(
            f"{build.edition.fiscal_year}-{build.content_hash[:16]}.pdf", ContentFile(data), save=False
        )
        Build.objects.filter(pk=build.pk).update(
            file=build.file.name,
            pages=len(document.pages),
            status=Build.Status.DONE,
            stage=_("Finished"),
            percent=100,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        Build.objects.filter(pk=build.pk).update(
            status=Build.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        raise
    build.refresh_from_db()
    return build


def published_build(edition: Edition) -> Build | None:
    if not edition.is_published:
        return None
    return (
        Build.objects.filter(edition=edition, content_hash=edition.published_hash, status=Build.Status.DONE)
        .order_by("-pk")
        .first()
    )


# --- Materials -----------------------------------------------------------------------------------


def _check_audience(audience: str, event) -> None:
    if audience == Material.Audience.EVENT and event is None:
        raise ValidationError(_("Choose the meeting whose attendees may download this."))


def material_create(*, actor, upload, changelog: str = "", event=None, **fields) -> Material:
    require_coordinator(actor)
    _check_audience(fields.get("audience", ""), event)
    with transaction.atomic():
        material = Material.objects.create(
            created_by=actor,
            event=event if fields.get("audience") == Material.Audience.EVENT else None,
            **fields,
        )
        version_add(actor=actor, material=material, upload=upload, changelog=changelog or _("First version"))
        audit.record(actor=actor, action="guidebook.material_create", obj=material)
    return material


def material_update(*, actor, material: Material, event=None, **fields) -> Material:
    require_coordinator(actor)
    _check_audience(fields.get("audience", material.audience), event)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(material, name, value)
        material.event = event if material.audience == Material.Audience.EVENT else None
        material.save()
        audit.record(actor=actor, action="guidebook.material_update", obj=material)
    return material


def material_withdraw(*, actor, material: Material, withdraw: bool = True) -> Material:
    """Take a material out of the library (coordinators still see it) or put it back."""
    require_coordinator(actor)
    with transaction.atomic():
        material.withdrawn_at = timezone.now() if withdraw else None
        material.save(update_fields=["withdrawn_at"])
        audit.record(
            actor=actor, action="guidebook.material_withdraw", obj=material, details={"withdraw": withdraw}
        )
    return material


def version_add(*, actor, material: Material, upload, changelog: str) -> MaterialVersion:
    """A new version; the older ones stay downloadable to the same audience."""
    require_coordinator(actor)
    content_type = uploads.validate_upload(upload, max_bytes=MAX_MATERIAL_BYTES)
    with transaction.atomic():
        Material.objects.select_for_update().get(pk=material.pk)
        number = (material.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = MaterialVersion(
            material=material,
            number=number,
            original_name=uploads.original_name(upload, f"{material.title}.pdf"),
            content_type=content_type,
            size=upload.size,
            changelog=changelog,
            uploaded_by=actor,
        )
        uploads.store(version.file, upload, content_type, title=material.title)
        version.size = version.file.size
        version.sha256 = _sha256(version.file)
        version.save()
        audit.record(actor=actor, action="guidebook.version_add", obj=material, details={"version": number})
    return version


def record_download(
    *, user, organization, material: Material, version: MaterialVersion, request_range: str | None
) -> None:
    """Count a download once per file (a resumed or seeking range request is not a new download),
    by the organisation kind the person is acting for ("public" when signed out)."""
    if request_range and not request_range.replace(" ", "").startswith("bytes=0-"):
        return
    kind = "public"
    if user.is_authenticated:
        if organization is None:
            memberships = active_memberships(user)
            organization = memberships[0].organization if memberships else None
        kind = organization.kind if organization is not None else "expert"
    Download.objects.create(
        material=material, version=version, organization=organization, organization_kind=kind
    )
