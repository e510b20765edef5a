"""Thin views of the talent bank (専門職人材バンク)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.permissions import is_coordinator, require_coordinator
from portal.core import audit, capacity, confirm, http, paging, spreadsheets
from portal.core import exports as core_exports
from portal.core.calendars import build_ics
from portal.core.dates import fiscal_year_of

from . import exports, permissions, selectors, services
from .forms import (
    ConsultationForm,
    DeclineForm,
    ExceptionForm,
    FeedbackForm,
    QuotaExceptionForm,
    RecordForm,
    ScheduleForm,
    WeeklyHoursForm,
)
from .models import FIELDS


def _parse_start(value: str) -> dt.datetime:
    try:
        start = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    return start if timezone.is_aware(start) else timezone.make_aware(start)


def _week_param(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise Http404 from exc


def _week_url(field, expert, monday) -> str | None:
    if monday is None:
        return None
    query = {"field": field, **({"expert": expert.pk} if expert else {}), "week": monday.isoformat()}
    return f"{reverse('partners:slot_list')}?{urlencode(query)}"


@login_required
def slot_list(request):
    """Free slots of one field, a week at a time, grouped by day; optionally of one expert."""
    permissions.requesting_partner(request)
    field = request.GET.get("field") or "legal"
    if field not in dict(FIELDS):
        raise Http404
    experts = list(selectors.experts_in_field(field))
    chosen = None
    if request.GET.get("expert"):
        chosen = next((e for e in experts if str(e.pk) == request.GET["expert"]), None)
        if chosen is None:
            raise Http404
    week = services.slot_week([chosen] if chosen else experts, week=_week_param(request.GET.get("week")))
    return render(
        request,
        "partners/slot_list.html",
        {
            "week": week,
            "week_end": week.start + dt.timedelta(days=6),
            "previous_url": _week_url(field, chosen, week.previous),
            "next_url": _week_url(field, chosen, week.next),
            "experts": experts,
            "chosen": chosen,
            "field": field,
            "fields": FIELDS,
        },
    )


@login_required
@require_POST
def slot_hold(request):
    permissions.requesting_partner(request)
    expert = permissions.get_bookable_expert(request.POST.get("expert"))
    try:
        held = services.hold_slot(
            actor=request.user, expert=expert, starts_at=_parse_start(request.POST.get("start"))
        )
    except capacity.Full:
        messages.error(request, _("Sorry, that slot has just been taken. Please choose another one."))
        return redirect(f"{reverse('partners:slot_list')}?field={expert.talent_bank_discipline}")
    messages.info(
        request,
        _("The slot is held for you for %(n)d minutes while you fill in the request.")
        % {"n": capacity.HOLD_MINUTES},
    )
    return redirect(
        f"{reverse('partners:consultation_create')}?hold={held.pk}&field={expert.talent_bank_discipline}"
    )


def _hold_of(request):
    return permissions.get_own_hold(request.user, request.GET.get("hold") or request.POST.get("hold"))


def _already_requested(request, form, consultation_of_hold):
    """The slot was requested before (the form was sent again): say so plainly and show that
    request when the person may see it; otherwise keep them on the form with the message."""
    message = _("This slot has already been requested. A slot can be requested only once.")
    if consultation_of_hold is not None:
        messages.warning(request, message)
        return redirect("partners:consultation_detail", consultation_of_hold.pk)
    if form is not None:
        form.add_error(None, message)
    return None


@login_required
def consultation_create(request):
    organization = permissions.requesting_partner(request)
    held = _hold_of(request)
    if held is not None and request.method == "GET":
        existing = selectors.request_of_hold(request.user, held)
        if existing is not None:
            return _already_requested(request, None, existing)
    form = ConsultationForm(
        request.POST or None,
        colleagues=selectors.colleagues(organization),
        held=held is not None,
        initial={
            "field": request.GET.get("field", "legal"),
            "attendees": [request.user.pk],
            "format": "online",
        },
    )
    findings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            c = services.request_create(
                actor=request.user,
                organization=organization,
                field=data.get("field", ""),
                topic=data["topic"],
                description=data["description"],
                fmt=data["format"],
                attendees=list(data["attendees"]),
                hold=held,
                preferred_dates=[data.get(f"preferred_{n}") for n in (1, 2, 3)],
                confirmed=set(request.POST.getlist("confirm")),
            )
            messages.success(request, _("Your request was sent to the secretariat."))
            return redirect("partners:consultation_detail", c.pk)
        except services.AlreadyRequested as exc:
            response = _already_requested(
                request, form, selectors.request_of_hold(request.user, exc.consultation.reservation_id)
            )
            if response is not None:
                return response
        except services.PersonalDataFound as exc:
            findings = [(f, services.finding_key(f)) for f in exc.findings]
            messages.warning(
                request,
                _(
                    "The description may contain personal data of the people you support. "
                    "Remove it, or confirm each highlighted passage."
                ),
            )
        except capacity.HoldExpired:
            messages.error(
                request,
                _(
                    "The hold on your slot ran out and someone else took it. Your text is kept; "
                    "choose another slot or give preferred dates."
                ),
            )
            held = None
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "partners/consultation_form.html",
        {
            "form": form,
            "held": held,
            "held_expert": services.expert_of_hold(held) if held is not None else None,
            "findings": findings,
            "findings_only": [f for f, _k in findings],
            "organization": organization,
            "used": {f: services.quota_used(organization, f, fiscal_year_of()) for f, _l in FIELDS},
            "limits": {f: services.quota_limit(organization, f, fiscal_year_of()) for f, _l in FIELDS},
        },
    )


@login_required
def consultation_list(request):
    permissions.require_reader(request.user)
    qs = selectors.consultation_list_rows(selectors.consultation_list(request.user, request.GET))
    page = paging.deferred_page(qs, request.GET.get("page"))
    return render(
        request,
        "partners/consultation_list.html",
        {
            "page": page,
            "is_coordinator": is_coordinator(request.user),
            "can_request": bool(permissions.partner_memberships(request.user)),
            "is_expert": permissions.is_talent_bank_expert(request.user),
        },
    )


@login_required
@require_GET
def consultation_export(request):
    """The secretariat's consultation list with its filter, as xlsx or CSV."""
    require_coordinator(request.user)
    return core_exports.list_download(
        request,
        action="talent_bank.export",
        filters=["status"] if request.GET.get("status") else [],
        title=_("Talent bank consultations"),
        header=exports.consultation_header(),
        rows=exports.consultation_rows(selectors.consultation_list(request.user, request.GET)),
        stem="talent-bank-consultations",
    )


@login_required
def consultation_detail(request, pk):
    c = permissions.get_consultation_for(request.user, pk)
    coordinator = is_coordinator(request.user)
    audit.record(actor=request.user, action="talent_bank.view", obj=c)
    record = getattr(c, "record", None)
    return render(
        request,
        "partners/consultation_detail.html",
        {
            "c": c,
            "is_coordinator": coordinator,
            "is_requester": c.organization_id
            in [m.organization_id for m in permissions.partner_memberships(request.user)],
            "is_expert": c.expert_id == request.user.pk,
            "record": record,
            "show_private": coordinator or c.expert_id == request.user.pk,
            "can_change": services.can_change(request.user, c),
            "deadline": services.change_deadline(c),
            "decline_form": DeclineForm(),
            "feedback_form": FeedbackForm(),
            "quota_form": QuotaExceptionForm(),
            "experts": selectors.experts_in_field(c.field) if coordinator else [],
            "attendees": c.attendees.all(),
        },
    )


def _act(request, c, fn, success):
    try:
        fn()
        messages.success(request, success)
    except capacity.Full:
        messages.error(request, _("That time is not free. Choose another one."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("partners:consultation_detail", c.pk)


@login_required
@require_POST
def consultation_confirm(request, pk):
    c = permissions.get_consultation_for_coordinator(request.user, pk)
    expert, start = None, None
    if request.POST.get("expert"):
        expert = permissions.get_bookable_expert(request.POST["expert"])
        start = _parse_start(request.POST.get("start"))
    return _act(
        request,
        c,
        lambda: services.consultation_confirm(
            actor=request.user, consultation=c, expert=expert, starts_at=start
        ),
        _("The consultation was confirmed; everyone was sent the date."),
    )


@login_required
@require_POST
def consultation_decline(request, pk):
    c = permissions.get_consultation_for_coordinator(request.user, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        c,
        lambda: services.consultation_decline(actor=request.user, consultation=c, reason=reason),
        _("The request was declined."),
    )


def _consultation_facts(c):
    return [
        (_("Consultation"), c.topic),
        (_("Field"), c.get_field_display()),
        (_("Expert"), c.expert.get_full_name() if c.expert_id else ""),
        (_("Date and time"), c.starts_at),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def consultation_cancel(request, pk):
    c = permissions.get_consultation_for_requester(request.user, pk)
    if request.method == "GET":
        return confirm.page(
            request,
            title=_("Cancel this consultation?"),
            facts=_consultation_facts(c),
            consequences=[
                _("The expert and the secretariat are told by e-mail, and the time is freed for others."),
                _("A cancelled consultation cannot be restored: to consult later, make a new request."),
            ],
            button=_("Cancel the consultation"),
            back=reverse("partners:consultation_detail", args=[c.pk]),
        )
    return _act(
        request,
        c,
        lambda: services.consultation_cancel(actor=request.user, consultation=c),
        _("The consultation was cancelled."),
    )


@login_required
def consultation_reschedule(request, pk):
    """The free slots as links; choosing one shows what will change, and only that page's button
    moves the consultation (everyone is written to at once)."""
    c = permissions.get_consultation_for_requester(request.user, pk)
    expert = selectors.expert_of(c)
    if request.method == "POST":
        return _act(
            request,
            c,
            lambda: services.consultation_reschedule(
                actor=request.user, consultation=c, starts_at=_parse_start(request.POST.get("start"))
            ),
            _("The consultation was moved; everyone was sent the new date."),
        )
    chosen = request.GET.get("start")
    if chosen:
        start = _parse_start(chosen)
        return confirm.page(
            request,
            title=_("Move the consultation to this time?"),
            facts=[
                *_consultation_facts(c),
                (_("New date and time"), start),
            ],
            consequences=[
                _("The expert, the secretariat and your colleagues attending are e-mailed the new date."),
                _("The present time is given up and may be taken by someone else."),
            ],
            hidden={"start": start.isoformat()},
            action=reverse("partners:consultation_reschedule", args=[c.pk]),
            button=_("Move to this time"),
            back=reverse("partners:consultation_reschedule", args=[c.pk]),
        )
    return render(
        request, "partners/reschedule.html", {"c": c, "slots": services.available_slots(expert)[:30]}
    )


@login_required
@require_POST
def consultation_no_show(request, pk):
    c = permissions.get_consultation_for_coordinator(request.user, pk)
    return _act(
        request,
        c,
        lambda: services.consultation_no_show(actor=request.user, consultation=c),
        _("Recorded as a no-show."),
    )


@login_required
def consultation_record(request, pk):
    c = permissions.get_consultation_for_expert(request.user, pk)
    record = getattr(c, "record", None)
    form = RecordForm(
        request.POST or None,
        initial={"summary": record.summary, "private_notes": record.private_notes} if record else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_write(actor=request.user, consultation=c, **form.cleaned_data)
            messages.success(request, _("The consultation record was saved."))
            return redirect("partners:consultation_detail", c.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "partners/record_form.html", {"c": c, "form": form})


@login_required
@require_POST
def consultation_feedback(request, pk):
    c = permissions.get_consultation_for_requester(request.user, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a rating from 1 to 5."))
        return redirect("partners:consultation_detail", c.pk)
    return _act(
        request,
        c,
        lambda: services.feedback_give(actor=request.user, consultation=c, **form.cleaned_data),
        _("Thank you for your feedback."),
    )


@login_required
@require_POST
def quota_exception(request, pk):
    c = permissions.get_consultation_for_coordinator(request.user, pk)
    form = QuotaExceptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number and the reason."))
        return redirect("partners:consultation_detail", c.pk)
    return _act(
        request,
        c,
        lambda: services.quota_grant_exception(
            actor=request.user,
            organization=c.organization,
            field=c.field,
            fiscal_year=c.fiscal_year,
            **form.cleaned_data,
        ),
        _("The exception was granted and recorded."),
    )


@login_required
@require_GET
def consultation_ics(request, pk):
    c = permissions.get_consultation_for(request.user, pk)
    if c.starts_at is None:
        raise Http404
    return http.download(
        build_ics(services._event(c), method="PUBLISH"), http.ICS, f"consultation-{c.pk}.ics"
    )


@login_required
def availability(request):
    profile = permissions.expert_for_availability(request)
    # A GET changes nothing: the schedule row is made on the first save.
    schedule = (
        services.schedule_for(profile)
        if request.method == "POST"
        else selectors.schedule_for_display(profile)
    )
    forms = {
        "schedule": ScheduleForm(instance=schedule, prefix="s"),
        "weekly": WeeklyHoursForm(prefix="w"),
        "exception": ExceptionForm(prefix="e"),
    }
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "schedule":
            forms["schedule"] = ScheduleForm(request.POST, instance=schedule, prefix="s")
            bound = forms["schedule"]
        elif which == "weekly":
            forms["weekly"] = WeeklyHoursForm(request.POST, prefix="w")
            bound = forms["weekly"]
        elif which == "exception":
            forms["exception"] = ExceptionForm(request.POST, prefix="e")
            bound = forms["exception"]
        else:
            raise Http404
        if bound.is_valid():
            services.availability_save(
                actor=request.user, schedule=schedule, form_name=which, data=bound.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect("partners:availability")
    return render(
        request,
        "partners/availability.html",
        {
            "forms": forms,
            "schedule": schedule,
            # An expert who never saved a schedule has an unsaved default: no hours or days off yet.
            "weekly": schedule.weekly.all() if schedule.pk else [],
            "exceptions": schedule.exceptions.filter(date__gte=timezone.localdate()) if schedule.pk else [],
            "upcoming": selectors.consultations_visible_to(request.user)
            .filter(expert=request.user, status="confirmed", starts_at__gte=timezone.now())
            .order_by("starts_at"),
        },
    )


@login_required
@require_POST
def availability_delete(request, kind, pk):
    profile = permissions.expert_for_availability(request)
    row = permissions.get_availability_row(profile, kind, pk)
    services.availability_delete(actor=request.user, row=row)
    messages.success(request, _("Removed."))
    return redirect(_availability_url(request, profile))


def _availability_url(request, profile) -> str:
    url = reverse("partners:availability")
    return f"{url}?expert={profile.pk}" if profile.user_id != request.user.pk else url


@login_required
@require_GET
def utilisation(request):
    require_coordinator(request.user)
    try:
        fy = int(request.GET.get("fiscal_year", fiscal_year_of()))
    except ValueError as exc:
        raise Http404 from exc
    sheets = [(title, ["区分", "件数"], rows) for title, rows in selectors.utilisation_rows(fy).items()]
    audit.record(actor=request.user, action="talent_bank.utilisation", details={"fiscal_year": fy})
    return spreadsheets.xlsx_response(sheets, f"talent-bank-{fy}.xlsx")
