"""Thin views of the public directories, the public events calendar and their upkeep."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.accounts.models import Organization
from portal.core import http, pdf, spreadsheets
from portal.core.calendars import CalendarEvent, build_ics
from portal.core.forms import rebase

from . import permissions, selectors, services
from .forms import EntryForm, InstitutionForm, ReturnForm
from .models import SupportInstitution

SUPPORT_TYPES = Organization.SupportType.choices


def _partner_filters(request):
    support_type = request.GET.get("type", "")
    if support_type not in dict(SUPPORT_TYPES):
        support_type = ""
    area_list = list(selectors.areas())
    code = request.GET.get("area", "")
    area = next((a for a in area_list if a.code == code), None) if code else None
    return support_type, area, area_list


@require_GET
def partner_list(request):
    support_type, area, area_list = _partner_filters(request)
    return render(
        request,
        "directory/partner_list.html",
        {
            "entries": selectors.partner_directory(support_type=support_type, area=area),
            "support_types": SUPPORT_TYPES,
            "support_type": support_type,
            "areas": area_list,
            "area": area,
            "query": request.GET.urlencode(),
        },
    )


CSV_HEADER = ["団体名", "支援内容", "活動地域", "所在地", "電話番号", "ウェブサイト", "紹介"]


@require_GET
def partner_csv(request):
    support_type, area, _areas = _partner_filters(request)
    entries = selectors.partner_directory(support_type=support_type, area=area)
    rows = (
        [
            str(e.organization),
            "・".join(e.support_type_labels()),
            "・".join(a.name for a in e.areas.all()),
            e.address,
            e.phone,
            e.website,
            e.description,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    return spreadsheets.csv_response(CSV_HEADER, rows, "partner-organisations.csv")


@require_GET
def partner_pdf(request):
    support_type, area, _areas = _partner_filters(request)
    content = pdf.render_pdf(
        "directory/pdf/partners.html",
        {
            "entries": selectors.partner_directory(support_type=support_type, area=area),
            "generated": timezone.localdate(),
        },
    )
    return http.download(content, http.PDF, "partner-organisations.pdf")


@require_GET
def institution_list(request):
    category = request.GET.get("category", "")
    if category not in SupportInstitution.Category.values:
        category = ""
    rows = list(selectors.institutions(category=category))
    labels = dict(SupportInstitution.Category.choices)
    groups = [(value, labels[value], [r for r in rows if r.category == value]) for value in labels]
    return render(
        request,
        "directory/institution_list.html",
        {
            "groups": [g for g in groups if g[2]],
            "categories": SupportInstitution.Category.choices,
            "category": category,
        },
    )


@require_GET
def event_calendar(request):
    return render(request, "directory/event_calendar.html", {"events": selectors.public_events()})


@require_GET
def event_calendar_ics(request):
    items = [
        CalendarEvent(
            uid=e.uid,
            start=e.starts_at,
            end=e.ends_at or e.starts_at + dt.timedelta(hours=2),
            summary=e.title,
            description=e.organizer + ("\n" + "、".join(e.exhibitors) if e.exhibitors else ""),
            location=e.place,
            url=settings.SITE_URL + e.url,
            sequence=e.sequence,
        )
        for e in selectors.public_events()
    ]
    return http.download(build_ics(*items, method="PUBLISH"), http.ICS, "public-events.ics", inline=True)


# --- members -------------------------------------------------------------------------------


@login_required
def partner_entry(request):
    organization = permissions.partner_of(request)
    entry = selectors.entry_of(organization)
    if entry is None:
        initial = {
            "support_types": organization.support_types,
            "areas": list(organization.locations.all()),
        }
    else:
        source = (
            entry.proposal
            if entry.review
            else {
                "description": entry.description,
                "address": entry.address,
                "phone": entry.phone,
                "website": entry.website,
                "support_types": entry.support_types,
                "areas": [a.pk for a in entry.areas.all()],
            }
        )
        initial = {**source, "version": entry.version}
    form = EntryForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_propose(
                actor=request.user,
                organization=organization,
                data=form.cleaned_data,
                based_on_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this entry in the meantime. Your input is kept below; the saved "
                    "version is shown beside it. Check both, then send again."
                ),
            )
            current = exc.current
            rebase(form, exc.current.version)
        else:
            messages.success(
                request, _("Your change was sent to the secretariat. The public sees it once approved.")
            )
            return redirect("directory:partner_entry")
    return render(
        request,
        "directory/partner_entry.html",
        {"organization": organization, "entry": entry, "form": form, "current": current},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def review_list(request):
    permissions.require_coordinator(request.user)
    return render(request, "directory/review_list.html", {"entries": selectors.pending_entries(request.user)})


def _posted_version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _type_labels(proposal: dict) -> list[str]:
    labels = dict(SUPPORT_TYPES)
    return [str(labels.get(t, t)) for t in proposal.get("support_types", [])]


def _areas(proposal: dict):
    return Organization.objects.filter(
        pk__in=[a for a in proposal.get("areas", []) if isinstance(a, int)],
        kind=Organization.Kind.MUNICIPALITY,
    ).order_by("code")


def _reviewed_snapshot(request) -> dict | None:
    """The proposal as the coordinator's page showed it (posted back with the approval), shown beside
    the one saved since; it is only displayed, never published."""
    try:
        data = json.loads(request.POST.get("reviewed", ""))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {
        "description": str(data.get("description", "")),
        "address": str(data.get("address", "")),
        "website": str(data.get("website", "")),
        "types": _type_labels(
            {"support_types": [t for t in data.get("support_types", []) if isinstance(t, str)]}
        ),
        "areas": _areas({"areas": data.get("areas", []) if isinstance(data.get("areas"), list) else []}),
    }


@login_required
def partner_review(request, pk):
    entry = permissions.get_entry_for_coordinator(request.user, pk)
    form = ReturnForm(request.POST or None)
    reviewed = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                services.entry_approve(
                    actor=request.user, entry=entry, reviewed_version=_posted_version(request)
                )
                messages.success(request, _("The entry was published and the organisation told."))
                return redirect("directory:review_list")
            if form.is_valid():
                services.entry_return(actor=request.user, entry=entry, comment=form.cleaned_data["comment"])
                messages.success(request, _("The change was returned and the organisation told."))
                return redirect("directory:review_list")
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "The organisation changed its proposal after you opened this page, so nothing was "
                    "published. The proposal you reviewed and the one saved now are shown side by side: "
                    "check the new one, then approve again."
                ),
            )
            entry, reviewed = exc.current, _reviewed_snapshot(request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("directory:partner_review", entry.pk)
    proposal = entry.proposal or {}
    return render(
        request,
        "directory/partner_review.html",
        {
            "entry": entry,
            "form": form,
            "proposal": proposal,
            "proposed_types": _type_labels(proposal),
            "proposed_areas": _areas(proposal),
            "reviewed": reviewed,
            "reviewed_snapshot": json.dumps(proposal, ensure_ascii=False),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def institution_manage(request):
    permissions.require_coordinator(request.user)
    return render(
        request,
        "directory/institution_manage.html",
        {"institutions": selectors.institutions_for_coordinator()},
    )


def _institution_form(request, institution):
    form = InstitutionForm(
        request.POST or None,
        instance=institution,
        initial={"version": institution.version} if institution else {},
    )
    current = None
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in InstitutionForm.Meta.fields}
        try:
            services.institution_save(
                actor=request.user,
                institution=institution,
                data=data,
                based_on_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this in the meantime. Your input is kept below; the saved version is "
                    "shown beside it. Check both, then save again."
                ),
            )
            current = exc.current
            rebase(form, exc.current.version)
        else:
            messages.success(request, _("The support institution was saved."))
            return redirect("directory:institution_manage")
    return render(
        request,
        "directory/institution_form.html",
        {"form": form, "institution": institution, "current": current},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def institution_create(request):
    permissions.require_coordinator(request.user)
    return _institution_form(request, None)


@login_required
def institution_edit(request, pk):
    return _institution_form(request, permissions.get_institution_for_coordinator(request.user, pk))
