"""Thin views of exchange meetings and joint consultation fairs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.permissions import is_coordinator, require_coordinator
from portal.core import audit, confirm, http, pdf, seat_pages, series, streaming, uploads
from portal.core import exports as core_exports
from portal.core.attachments_text import UNREADABLE
from portal.core.calendars import build_ics
from portal.core.dates import wareki
from portal.core.exceptions import StaleEdit
from portal.core.forms import carried_fields, rebase
from portal.core.pii import kind_label

from . import exports, permissions, selectors, services
from .forms import (
    EventCopyForm,
    EventEditForm,
    EventForm,
    EventSeriesForm,
    ExhibitorForm,
    MaterialForm,
    ProgrammeItemForm,
    ProposalForm,
    RegistrationForm,
    SurveyForm,
)

PAGE_SIZE = 50


def _errors(request, exc):
    for text in exc.messages:
        messages.error(request, text)


@login_required
def event_list(request):
    permissions.require_member(request.user)
    upcoming, past = selectors.upcoming_and_past(request.user)
    return render(
        request,
        "meetings/event_list.html",
        {
            "upcoming": Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page")),
            "past": Paginator(past, PAGE_SIZE).get_page(request.GET.get("past")),
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def event_create(request):
    require_coordinator(request.user)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_create(actor=request.user, **form.schedule_fields())
        messages.success(request, _("The meeting was created."))
        return redirect("meetings:event_detail", event.pk)
    return render(request, "meetings/event_form.html", {"form": form})


@login_required
def event_series(request):
    """Several meetings at once: the form, then a confirmation page listing every date (holidays
    marked as skipped) before anything is created; "back" returns to the form with what was typed."""
    require_coordinator(request.user)
    form = EventSeriesForm(request.POST or None)
    if request.method == "POST" and not request.POST.get("back") and form.is_valid():
        if request.POST.get("confirmed"):
            events = services.event_series_create(
                actor=request.user, occurrences=form.occurrences(), **form.event_fields()
            )
            messages.success(
                request,
                ngettext("%(n)d meeting was created.", "%(n)d meetings were created.", len(events))
                % {"n": len(events)},
            )
            return redirect("meetings:event_list")
        return render(
            request,
            "meetings/series_confirm.html",
            {"form": form, "plan": form.plan, "carried": carried_fields(request.POST)},
        )
    return render(request, "meetings/series_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def event_copy(request, pk):
    """A new meeting like this one on another date (settings and programme, no registrations)."""
    event = permissions.get_event_for_coordinator(request.user, pk)
    local = timezone.localtime(event.starts_at)
    form = EventCopyForm(request.POST or None, initial={"start_time": local.time().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.event_copy(
                actor=request.user,
                event=event,
                starts_at=series.at(form.cleaned_data["day"], form.cleaned_data["start_time"]),
            )
        except ValidationError as exc:
            form.add_error("day", exc)
        else:
            messages.success(
                request, _("The meeting was copied to the new date. Check it and edit as needed.")
            )
            return redirect("meetings:event_edit", copy.pk)
    return render(
        request,
        "meetings/event_copy.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


def _render_event(request, event, *, status=200, **forms):
    """The meeting page; a form that failed comes back bound, so nothing typed is lost."""
    context = {
        "event": event,
        "is_coordinator": is_coordinator(request.user),
        "form": RegistrationForm(
            colleagues=selectors.colleagues_to_register(request.user, event), online=event.has_online
        ),
        "proposal_form": ProposalForm(),
        "exhibitor_form": ExhibitorForm(),
        "material_form": MaterialForm(),
        "programme_form": ProgrammeItemForm(),
        "ended": event.ends_at <= timezone.now(),
        "my_application": selectors.own_application(
            request.user, event, getattr(request, "organization", None)
        ),
        **selectors.event_page(request.user, event),
        **forms,
    }
    return render(request, "meetings/event_detail.html", context, status=status)


@login_required
def event_detail(request, pk):
    return _render_event(request, permissions.get_event_for(request.user, pk))


@login_required
@require_POST
def register(request, pk):
    event = permissions.get_event_for(request.user, pk)
    form = RegistrationForm(
        request.POST,
        colleagues=selectors.colleagues_to_register(request.user, event),
        online=event.has_online,
    )
    if form.is_valid():
        try:
            registration = services.register(
                actor=request.user,
                event=event,
                user=form.cleaned_data.get("colleague") or request.user,
                mode=form.cleaned_data.get("mode", "venue"),
                accessibility=form.cleaned_data["accessibility"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Registered. A confirmation with the date was sent by email.")
                if registration.status == "confirmed"
                else _(
                    "The meeting is full: you are on the waiting list. We will email you if a seat frees up."
                ),
            )
            return redirect("meetings:event_detail", event.pk)
    return _render_event(request, event, status=400, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    registration = permissions.get_registration_for(request.user, pk)
    if request.method == "GET":
        event = registration.event
        return confirm.page(
            request,
            title=_("Cancel this registration?"),
            facts=[(_("Event"), event.title), (_("Date and time"), event.starts_at)],
            consequences=[
                _("Your seat is given up and may be offered to someone on the waiting list."),
                _("You are sent a letter confirming the cancellation."),
                _("To take part after all, register again (if seats are left)."),
            ],
            button=_("Cancel my registration"),
            back=reverse("meetings:event_detail", args=[event.pk]),
        )
    services.cancel(actor=request.user, registration=registration)
    messages.success(request, _("The registration was cancelled."))
    return redirect("meetings:event_detail", registration.event_id)


@login_required
def registration_manage(request, pk):
    """The registrant (or their organisation's admin) changes the attendance mode and access needs
    until the deadline and sees the place on the waiting list; what was typed is kept on refusal."""
    registration = permissions.get_registration_to_manage(request.user, pk)
    event = registration.event
    return seat_pages.manage(
        request,
        registration,
        occasion=event,
        title=event.title,
        update=services.registration_update,
        leave_url=reverse("meetings:registration_leave", args=[registration.pk]),
        done=reverse("meetings:event_detail", args=[event.pk]),
        position=selectors.waiting_position(registration),
        context={"event": event},
    )


@login_required
def registration_leave(request, pk):
    """Leaving (the waiting list or a seat) cannot be undone: a confirmation page first."""
    registration = permissions.get_registration_to_manage(request.user, pk)
    return seat_pages.leave(
        request,
        registration,
        cancel=services.cancel,
        title=registration.event.title,
        manage_url=reverse("meetings:registration_manage", args=[registration.pk]),
        done=reverse("meetings:event_detail", args=[registration.event_id]),
        position=selectors.waiting_position(registration),
        context={"event": registration.event},
    )


@login_required
@require_POST
def offer_accept(request, pk):
    registration = permissions.get_own_registration(request.user, pk)
    try:
        services.accept_offer(actor=request.user, registration=registration)
        messages.success(request, _("Your seat is confirmed."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("meetings:event_detail", registration.event_id)


@login_required
@require_POST
def check_in(request, pk):
    registration = permissions.get_registration_for_coordinator(request.user, pk)
    try:
        services.check_in(actor=request.user, registration=registration)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("meetings:attendance", registration.event_id)


ATTENDANCE_PAGE = 100  # lines a page at the check-in desk; the PDF and the export hold everyone


ATTENDANCE_PAGE = 100  # lines a page at the check-in desk; the PDF and the export hold everyone


@login_required
def attendance(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    query = request.GET.get("q", "").strip()
    lines = selectors.attendance(event, query=query)
    page = Paginator(lines, ATTENDANCE_PAGE).get_page(request.GET.get("page"))
    return render(request, "meetings/attendance.html", {"event": event, "page": page, "q": query})


@login_required
@require_GET
def registrations_export(request, pk):
    """The attendance list's rows as xlsx or CSV."""
    event = permissions.get_event_for_coordinator(request.user, pk)
    return core_exports.list_download(
        request,
        action="event.registrations_export",
        obj=event,
        title=_("Attendance list"),
        header=exports.registration_header(),
        rows=exports.registration_rows(selectors.attendance(event)),
        stem=f"meeting-registrations-{event.pk}",
    )


@login_required
@require_GET
def waitlist_export(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    return core_exports.list_download(
        request,
        action="event.waitlist_export",
        obj=event,
        title=_("Waiting list"),
        header=exports.waitlist_header(),
        rows=exports.waitlist_rows(selectors.waiting_list(event)),
        stem=f"meeting-waiting-list-{event.pk}",
    )


@login_required
@require_GET
def exhibitors_export(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    return core_exports.list_download(
        request,
        action="event.exhibitors_export",
        obj=event,
        title=_("Exhibitors"),
        header=exports.exhibitor_header(),
        rows=exports.exhibitor_rows(selectors.exhibitors(event)),
        stem=f"fair-exhibitors-{event.pk}",
    )


@login_required
@require_GET
def attendance_pdf(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    content = pdf.render_pdf(
        "meetings/pdf/attendance.html",
        {
            "event": event,
            "day": wareki(event.starts_at),
            "registrations": selectors.attendance(event),
        },
    )
    return http.download(content, http.PDF, f"attendance-{event.pk}.pdf")


@login_required
def survey(request, pk):
    registration = permissions.get_own_registration(request.user, pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(actor=request.user, registration=registration, **form.cleaned_data)
            messages.success(request, _("Thank you for answering the survey."))
            return redirect("meetings:event_detail", registration.event_id)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "meetings/survey.html", {"form": form, "registration": registration})


@login_required
@require_GET
def certificate(request, pk):
    registration = permissions.get_attended_registration(request.user, pk)
    content = pdf.render_pdf(
        "meetings/pdf/certificate.html",
        {
            "registration": registration,
            "event": registration.event,
            "day": wareki(registration.event.starts_at),
            "issued": wareki(timezone.localdate()),
        },
    )
    return http.download(content, http.PDF, f"certificate-{registration.pk}.pdf")


@login_required
@require_GET
def material_download(request, pk, material_pk):
    event = permissions.get_event_for(request.user, pk)
    material = permissions.get_material_for(request.user, event, material_pk)
    audit.record(
        actor=request.user, action="event.material_download", obj=event, details={"material": material.pk}
    )
    return streaming.serve(
        request, material.file, filename=material.original_name, content_type=material.content_type
    )


@login_required
@require_POST
def material_add(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("The material was added."))
            return redirect("meetings:event_detail", event.pk)
        except ValidationError as exc:
            form.add_error("file", exc)
    return _render_event(request, event, status=400, material_form=form)


@login_required
@require_POST
def propose(request, pk):
    event = permissions.get_event_for(request.user, pk)
    form = ProposalForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.propose(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                confirmed=set(request.POST.getlist("confirm")),
                upload=request.FILES.get("file"),
                file_checked=form.cleaned_data["file_checked"],
            )
        except services.PersonalDataFound as exc:
            _unreadable_file_error(form, exc.findings)
            in_file = [f for f in exc.findings if hasattr(f, "page") and f.kind != UNREADABLE]
            kinds = "、".join(
                sorted({str(kind_label(f.kind)) for f in exc.findings if not hasattr(f, "page")})
            )
            if kinds:
                form.add_error(
                    "summary",
                    _("The summary may contain personal data (%(kinds)s). Please remove it.")
                    % {"kinds": kinds},
                )
            for where in dict.fromkeys(f.where for f in in_file):
                found = "、".join(sorted({str(kind_label(f.kind)) for f in in_file if f.where == where}))
                message = _(
                    "%(where)s may contain personal data (%(kinds)s): remove it and attach the file again."
                )
                form.add_error("file", message % {"where": where, "kinds": found})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. The secretariat will consider your presentation."))
            return redirect("meetings:event_detail", event.pk)
    return _render_event(request, event, status=400, proposal_form=form)


def _unreadable_file_error(form, findings) -> None:
    for f in findings:
        if getattr(f, "kind", "") == UNREADABLE:
            form.add_error(
                "file_checked",
                _(
                    "“%(name)s”: the contents of this attached file could not be checked. Open it, make "
                    "sure it holds nothing that identifies a person, tick the box and attach it again."
                )
                % {"name": f.file_name},
            )


@login_required
@require_POST
def proposal_decide(request, pk, select):
    proposal = permissions.get_proposal_for_coordinator(request.user, pk)
    services.proposal_decide(actor=request.user, proposal=proposal, select=select)
    return redirect("meetings:event_detail", proposal.event_id)


@login_required
@require_POST
def exhibitor_apply(request, pk):
    event = permissions.get_event_for(request.user, pk)
    organization = permissions.requesting_partner(request)
    form = ExhibitorForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.exhibitor_apply(
                actor=request.user,
                event=event,
                organization=organization,
                staff_count=form.cleaned_data["staff_count"],
                offer=form.cleaned_data["offer"],
                upload=request.FILES.get("file"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your application to exhibit was sent."))
            return redirect("meetings:event_detail", event.pk)
    return _render_event(request, event, status=400, exhibitor_form=form)


@login_required
@require_POST
def exhibitor_decide(request, pk, approve):
    application = permissions.get_application_for_coordinator(request.user, pk)
    services.exhibitor_decide(actor=request.user, application=application, approve=approve)
    return redirect("meetings:event_detail", application.event_id)


def fair_public(request, pk):
    """Public: the organisations taking part in a joint consultation fair."""
    event = permissions.get_public_fair(pk)
    return render(
        request,
        "meetings/fair_public.html",
        {"event": event, "exhibitors": selectors.approved_exhibitors(event)},
    )


@login_required
@require_GET
def event_ics(request, pk):
    event = permissions.get_event_for(request.user, pk)
    return http.download(
        build_ics(services.event_calendar(event), method="PUBLISH"), http.ICS, f"event-{event.pk}.ics"
    )


@login_required
def event_edit(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    form = EventEditForm(request.POST or None, instance=event, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user,
                event=event,
                based_on_version=form.cleaned_data["version"],
                **form.schedule_fields(),
            )
            messages.success(request, _("Saved; registrants were sent the new details."))
            return redirect("meetings:event_detail", event.pk)
        except StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this meeting in the meantime. Your input is kept; check "
                    "it and save again."
                ),
            )
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "meetings/event_form.html", {"form": form, "event": event})


@login_required
def event_cancel(request, pk):
    """Cancelling tells everyone and cannot be undone: a confirmation page first."""
    event = permissions.get_event_for_coordinator(request.user, pk)
    if not (request.method == "POST" and request.POST.get("confirmed")):
        if event.cancelled_at:
            return redirect("meetings:event_detail", event.pk)
        return render(
            request, "meetings/cancel_confirm.html", {"event": event, **selectors.seat_counts(event)}
        )
    services.event_cancel(actor=request.user, event=event)
    messages.success(request, _("The meeting was cancelled and everyone registered was told."))
    return redirect("meetings:event_detail", event.pk)


@login_required
@require_POST
def programme_add(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    form = ProgrammeItemForm(request.POST)
    if form.is_valid():
        services.programme_add(actor=request.user, event=event, **form.cleaned_data)
    else:
        messages.error(request, _("Give the kind and the title."))
    return redirect("meetings:event_detail", event.pk)


@login_required
@require_POST
def programme_remove(request, pk):
    item = permissions.get_programme_item_for_coordinator(request.user, pk)
    services.programme_remove(actor=request.user, item=item)
    return redirect("meetings:event_detail", item.event_id)


@login_required
@require_GET
def proposal_file(request, pk):
    proposal = permissions.get_proposal_for_reader(request.user, pk)
    audit.record(actor=request.user, action="event.proposal_file", obj=proposal)
    return uploads.serve(proposal.file, filename=proposal.file_name, content_type=proposal.file_type)


@login_required
@require_GET
def exhibitor_file(request, pk):
    application = permissions.get_application_for_reader(request.user, pk)
    audit.record(actor=request.user, action="event.exhibitor_file", obj=application)
    return uploads.serve(application.file, filename=application.file_name, content_type=application.file_type)
