"""Thin views of exchange meetings and joint consultation fairs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.models import User
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in
from portal.accounts.services import StaleEdit
from portal.core import audit, capacity, http, pdf, uploads
from portal.core.calendars import build_ics
from portal.core.dates import wareki

from . import permissions, services
from .forms import (
    EventEditForm,
    EventForm,
    ExhibitorForm,
    MaterialForm,
    ProgrammeItemForm,
    ProposalForm,
    RegistrationForm,
    SurveyForm,
)
from .models import Event, ExhibitorApplication, Registration


def _errors(request, exc):
    for text in exc.messages:
        messages.error(request, text)


@login_required
def event_list(request):
    permissions.require_member(request.user)
    events = Event.objects.order_by("-starts_at").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed"))
    )
    if not is_coordinator(request.user):
        kinds = {m.organization.kind for m in active_memberships(request.user)}
        events = [e for e in events if kinds & set(e.audience)]
    return render(
        request,
        "meetings/event_list.html",
        {"events": events, "is_coordinator": is_coordinator(request.user)},
    )


@login_required
def event_create(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("deadline_date", "deadline_time")}
        event = services.event_create(actor=request.user, **fields)
        messages.success(request, _("The meeting was created."))
        return redirect("meetings:event_detail", event.pk)
    return render(request, "meetings/event_form.html", {"form": form})


def _own_org_admin_colleagues(user, event):
    org = services.eligible_organization(user, event)
    if org is None:
        return None
    m = membership_in(user, org.pk)
    if not (m and m.is_admin):
        return None
    return User.objects.filter(memberships__organization=org, memberships__is_active=True).exclude(pk=user.pk)


@login_required
def event_detail(request, pk):
    event = permissions.get_event_for(request.user, pk)
    coordinator = is_coordinator(request.user)
    mine = Registration.objects.filter(event=event, user=request.user).exclude(status="cancelled").first()
    org_ids = [m.organization_id for m in active_memberships(request.user)]
    org_regs = (
        Registration.objects.filter(event=event, organization_id__in=org_ids)
        .exclude(status="cancelled")
        .select_related("user")
    )
    attendee = permissions.is_attendee(request.user, event)
    return render(
        request,
        "meetings/event_detail.html",
        {
            "event": event,
            "is_coordinator": coordinator,
            "mine": mine,
            "org_registrations": org_regs,
            "attendee": attendee,
            "materials": event.materials.all() if (attendee or coordinator) else [],
            "programme": event.programme.all(),
            "form": RegistrationForm(colleagues=_own_org_admin_colleagues(request.user, event)),
            "proposal_form": ProposalForm(),
            "exhibitor_form": ExhibitorForm(),
            "material_form": MaterialForm(),
            "exhibitors": event.exhibitors.select_related("organization")
            if coordinator
            else event.exhibitors.filter(organization_id__in=org_ids),
            "proposals": event.proposals.select_related("organization")
            if coordinator
            else event.proposals.filter(user=request.user),
            "confirmed": event.registrations.filter(status="confirmed").count(),
            "waitlisted": event.registrations.filter(status="waitlisted").count(),
            "survey": Registration.objects.filter(event=event, survey__isnull=False).aggregate(
                n=Count("pk"), avg=Avg("survey__rating")
            )
            if coordinator
            else None,
            "ended": event.ends_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def register(request, pk):
    event = permissions.get_event_for(request.user, pk)
    form = RegistrationForm(request.POST, colleagues=_own_org_admin_colleagues(request.user, event))
    if form.is_valid():
        try:
            registration = services.register(
                actor=request.user,
                event=event,
                user=form.cleaned_data.get("colleague") or request.user,
                mode=form.cleaned_data["mode"],
                accessibility=form.cleaned_data["accessibility"],
            )
            messages.success(
                request,
                _("Registered. A confirmation with the date was sent by email.")
                if registration.status == "confirmed"
                else _(
                    "The meeting is full: you are on the waiting list. We will email you if a seat frees up."
                ),
            )
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("meetings:event_detail", event.pk)


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = permissions.get_registration_for(request.user, pk)
    services.cancel(actor=request.user, registration=registration)
    messages.success(request, _("The registration was cancelled."))
    return redirect("meetings:event_detail", registration.event_id)


@login_required
@require_POST
def offer_accept(request, pk):
    registration = permissions.get_own_registration(request.user, pk)
    try:
        services.accept_offer(actor=request.user, registration=registration)
        messages.success(request, _("Your seat is confirmed."))
    except (ValidationError, capacity.HoldExpired) as exc:
        messages.error(request, getattr(exc, "messages", [_("The offer has expired.")])[0])
    return redirect("meetings:event_detail", registration.event_id)


@login_required
@require_POST
def check_in(request, pk):
    registration = permissions.get_registration_for(request.user, pk)
    if not is_coordinator(request.user):
        raise PermissionDenied
    try:
        services.check_in(actor=request.user, registration=registration)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("meetings:attendance", registration.event_id)


@login_required
def attendance(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
    return render(
        request,
        "meetings/attendance.html",
        {
            "event": event,
            "registrations": event.registrations.filter(status="confirmed")
            .select_related("user", "organization")
            .order_by("organization__kind", "organization__code", "user__display_name"),
        },
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
            "registrations": event.registrations.filter(status="confirmed")
            .select_related("user", "organization")
            .order_by("organization__kind", "organization__code", "user__display_name"),
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
    registration = permissions.get_own_registration(request.user, pk)
    if registration.checked_in_at is None:
        raise PermissionDenied
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
    return uploads.serve(material.file, filename=material.original_name, content_type=material.content_type)


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
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Give a title and a file."))
    return redirect("meetings:event_detail", event.pk)


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
                confirmed=set(request.POST.getlist("confirm")),
                **form.cleaned_data,
            )
            messages.success(request, _("Thank you. The secretariat will consider your presentation."))
        except services.PersonalDataFound as exc:
            kinds = "、".join(sorted({f.kind for f in exc.findings}))
            messages.error(
                request,
                _("The summary may contain personal data (%(kinds)s). Please remove it.") % {"kinds": kinds},
            )
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("meetings:event_detail", event.pk)


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
    org = getattr(request, "organization", None)
    form = ExhibitorForm(request.POST, request.FILES)
    if form.is_valid() and org is not None:
        try:
            services.exhibitor_apply(
                actor=request.user,
                event=event,
                organization=org,
                staff_count=form.cleaned_data["staff_count"],
                offer=form.cleaned_data["offer"],
                upload=request.FILES.get("file"),
            )
            messages.success(request, _("Your application to exhibit was sent."))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("meetings:event_detail", event.pk)


@login_required
@require_POST
def exhibitor_decide(request, pk, approve):
    application = permissions.get_application_for_coordinator(request.user, pk)
    services.exhibitor_decide(actor=request.user, application=application, approve=approve)
    return redirect("meetings:event_detail", application.event_id)


def fair_public(request, pk):
    """Public: the organisations taking part in a joint consultation fair."""
    event = get_object_or_404(Event, pk=pk, kind=Event.Kind.FAIR)
    return render(
        request,
        "meetings/fair_public.html",
        {
            "event": event,
            "exhibitors": event.exhibitors.filter(status=ExhibitorApplication.Status.APPROVED)
            .select_related("organization")
            .order_by("organization__name"),
        },
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
        fields = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("version", "deadline_date", "deadline_time")
        }
        try:
            services.event_update(
                actor=request.user, event=event, based_on_version=form.cleaned_data["version"], **fields
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
            form.data = form.data.copy()
            form.data["version"] = exc.current.version
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "meetings/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_cancel(request, pk):
    event = permissions.get_event_for_coordinator(request.user, pk)
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
