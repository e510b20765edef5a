"""Thin views of 巡回相談 (touring consultation days) and 訪問相談 (home-visit referrals)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.permissions import is_coordinator
from portal.core import audit, http, pdf, pii, spreadsheets
from portal.core.calendars import build_ics
from portal.core.dates import display, fiscal_year_of, wareki
from portal.core.forms import rebase

from . import permissions, selectors, services
from .forms import (
    SLOT_TAKEN,
    BookingForm,
    CloseForm,
    DayForm,
    ExtendForm,
    HostAddForm,
    HostForm,
    InterviewForm,
    OutcomeForm,
    RecordForm,
    ReferralForm,
    TriageForm,
    VisitForm,
)
from .models import OutreachDay, VisitReferral

KEPT = _("Please correct the marked fields. Nothing was saved yet; your input is kept.")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc)


STALE = _(
    "Someone else saved this in the meantime. Your input is kept below; the saved version is shown "
    "beside it. Check both, then save again."
)


def _shown(form, name, value) -> str:
    """A value as a person reads it, for the side-by-side comparison of a stale save."""
    field = form.fields[name]
    if value in (None, "", [], ()):
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return display(value)
    if hasattr(value, "all"):  # a related manager or a queryset
        value = list(value.all())
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def _conflict(form, saved: dict) -> list[dict]:
    """The fields where what was saved in the meantime differs from what the person typed: both
    versions, side by side, with a link to the field (the form itself keeps the typed input)."""
    rows = []
    for name, theirs in saved.items():
        yours = form.cleaned_data.get(name)
        if hasattr(theirs, "all"):
            theirs = list(theirs.all())
        if isinstance(yours, models.QuerySet):
            yours = list(yours)
        if theirs == yours or (theirs in (None, "") and yours in (None, "")):
            continue
        anchor = form[name].auto_id
        if isinstance(form.fields[name].widget, forms.RadioSelect):  # also CheckboxSelectMultiple
            anchor += "_0"  # a group is reached through its first option
        rows.append(
            {
                "id": anchor,
                "label": form.fields[name].label,
                "theirs": _shown(form, name, theirs),
                "yours": _shown(form, name, yours),
            }
        )
    return rows


def _findings(form, exc) -> list:
    return [
        (form[name] if name in form.fields else name, items, [(f, pii.finding_key(name, f)) for f in items])
        for name, items in exc.findings.items()
    ]


def _fiscal_year(request) -> int:
    try:
        return int(request.GET.get("fiscal_year") or fiscal_year_of())
    except ValueError as exc:
        raise Http404 from exc


# --- public --------------------------------------------------------------------------------------------


@require_GET
def public_days(request):
    return render(request, "outreach/public_days.html", {"hosts": selectors.public_hosts()})


# --- hosts and days -----------------------------------------------------------------------------------


@login_required
@require_GET
def host_list(request):
    permissions.require_outreach_user(request.user)
    hosts = selectors.hosts_for_list(request.user)
    return render(
        request,
        "outreach/host_list.html",
        {"hosts": hosts, "is_coordinator": is_coordinator(request.user), "fiscal_year": fiscal_year_of()},
    )


@login_required
def plan_edit(request):
    permissions.require_coordinator(request.user)
    form = HostAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=request.user, fiscal_year=fiscal_year_of(data["date_1"]))
            host = services.host_add(
                actor=request.user,
                plan=plan,
                organization=data["organization"],
                dates=[data["date_1"], data["date_2"]],
            )
            messages.success(request, _("The host municipality was added; its staff were asked to confirm."))
            return redirect("outreach:host_detail", host.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
    elif request.method == "POST":
        messages.error(request, KEPT)
    return render(request, "outreach/plan_form.html", {"form": form})


@login_required
@require_GET
def host_detail(request, pk):
    host = permissions.get_host_for(request.user, pk)
    coordinator = is_coordinator(request.user)
    days = list(selectors.days_of(host))
    for day in days:
        day.slot_rows = selectors.slots_of(day, request.user)
        day.waiting_rows = selectors.waiting_list(day, request.user)
        day.can_book = permissions.can_book(request.user, day) and day.starts_at > timezone.now()
    return render(
        request,
        "outreach/host_detail.html",
        {
            "host": host,
            "days": days,
            "is_coordinator": coordinator,
            "can_edit": permissions.can_edit_host(request.user, host)
            and host.status in ("proposed", "agreed", "published"),
            "is_public": host.status in permissions.PUBLIC_STATES,
            "staff_needed": services.STAFF_PER_DAY,
            "record_form": RecordForm(),
        },
    )


@login_required
def host_edit(request, pk):
    host = permissions.get_host_for_editor(request.user, pk)
    form = HostForm(request.POST or None, instance=host, initial={"version": host.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        agree = request.POST.get("action") == "agree"
        try:
            services.host_save(
                actor=request.user,
                host=host,
                data=form.host_data(),
                based_on_version=form.cleaned_data["version"],
                agree=agree,
            )
            messages.success(
                request, _("Agreed. The Support Net will publish the days.") if agree else _("Saved.")
            )
            return redirect("outreach:host_detail", host.pk)
        except services.StaleEdit as exc:
            messages.error(request, STALE)
            conflict = _conflict(form, {n: getattr(exc.current, n) for n in HostForm.Meta.fields})
            rebase(form, exc.current.version)
        except ValidationError as exc:
            _apply_errors(form, exc)
    elif request.method == "POST":
        messages.error(request, KEPT)
    return render(request, "outreach/host_form.html", {"form": form, "host": host, "conflict": conflict})


@login_required
def host_publish(request, pk):
    """Publishing makes the days public and bookable: a confirmation page first."""
    host = permissions.get_host_for_coordinator(request.user, pk)
    if request.method == "POST":
        try:
            services.host_publish(actor=request.user, host=host)
            messages.success(request, _("Published. The flyer and the public entry are ready."))
            return redirect("outreach:host_detail", host.pk)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    return render(
        request,
        "outreach/confirm.html",
        {
            "title": _("Publish the touring consultation days in %(org)s") % {"org": host.organization},
            "what": _(
                "The days appear on the public page and on the flyer, and every municipality can book "
                "slots for residents. The host and the Support Net are notified."
            ),
            "button": _("Publish"),
            "back_url_name": "outreach:host_detail",
            "back_pk": host.pk,
        },
    )


@login_required
@require_POST
def host_held(request, pk):
    host = permissions.get_host_for_coordinator(request.user, pk)
    try:
        services.host_mark_held(actor=request.user, host=host)
        messages.success(request, _("Marked as held. Record each slot, then report."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("outreach:host_detail", host.pk)


@login_required
@require_POST
def host_report(request, pk):
    host = permissions.get_host_for_coordinator(request.user, pk)
    try:
        services.host_report(actor=request.user, host=host)
        messages.success(request, _("Reported. The summary is in the spreadsheet."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    return redirect("outreach:host_detail", host.pk)


@login_required
@require_GET
def host_flyer(request, pk):
    host = permissions.get_host_for(request.user, pk)
    if host.status not in permissions.PUBLIC_STATES:
        raise Http404
    days = list(host.days.order_by("date"))
    content = pdf.render_pdf(
        "outreach/pdf/flyer.html",
        {
            "host": host,
            "days": days,
            "deadline": wareki(host.application_deadline, weekday=True) if host.application_deadline else "",
            "slots_per_day": services.DEFAULT_SLOTS,
        },
    )
    return http.download(
        content, http.PDF, f"touring-consultation-{host.plan.fiscal_year}-{host.pk}.pdf", inline=True
    )


@login_required
def day_edit(request, pk):
    day = permissions.get_day_for(request.user, pk)
    permissions.require_coordinator(request.user)
    form = DayForm(
        request.POST or None,
        staff_choices=selectors.support_net_staff(),
        initial={"version": day.version, **_day_values(day)},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.day_update(
                actor=request.user,
                day=day,
                based_on_version=data["version"],
                start=data["start"],
                slot_count=data["slot_count"],
                slot_minutes=data["slot_minutes"],
                break_minutes=data["break_minutes"],
                staff=list(data["staff"]),
            )
            messages.success(request, _("The day was saved."))
            return redirect("outreach:host_detail", day.host_id)
        except services.StaleEdit as exc:
            messages.error(request, STALE)
            conflict = _conflict(form, _day_values(exc.current))
            rebase(form, exc.current.version)
        except ValidationError as exc:
            _apply_errors(form, exc)
    elif request.method == "POST":
        messages.error(request, KEPT)
    return render(request, "outreach/day_form.html", {"form": form, "day": day, "conflict": conflict})


def _day_values(day: OutreachDay) -> dict:
    """A day as its form edits it: the first slot's start, the number, length and gap of slots."""
    slots = list(day.slots.all())
    first = timezone.localtime(slots[0].starts_at) if slots else None
    return {
        "start": first.time() if first else dt.time(10),
        "slot_count": len(slots) or 6,
        "slot_minutes": int((slots[0].ends_at - slots[0].starts_at).total_seconds() // 60) if slots else 45,
        "break_minutes": (
            int((slots[1].starts_at - slots[0].ends_at).total_seconds() // 60) if len(slots) > 1 else 15
        ),
        "staff": list(day.staff.all()),
    }


@login_required
@require_GET
def day_ics(request, pk):
    day = permissions.get_day_for(request.user, pk)
    return http.download(
        build_ics(services.day_calendar_event(day), method="PUBLISH"),
        http.ICS,
        f"touring-consultation-{day.pk}.ics",
    )


# --- bookings -----------------------------------------------------------------------------------------


@login_required
def booking_create(request, pk):
    day = permissions.get_day_for(request.user, pk)
    if not permissions.can_book(request.user, day):
        raise permissions.PermissionDenied
    organization = permissions.booking_organization(request.user, getattr(request, "organization", None))
    free = [
        (str(s.pk), f"{display(s.starts_at)}–{display(s.ends_at, 'time')}") for s in selectors.free_slots(day)
    ]
    taken = selectors.taken_slot_ids(day) if request.method == "POST" else ()
    form = BookingForm(
        request.POST or None, slots=free, taken=taken, initial={"resident_municipality": organization}
    )
    findings = []
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["slot"]
        slot = None if choice == "waitlist" else day.slots.filter(pk=choice).first()
        try:
            booking = services.booking_create(
                actor=request.user,
                organization=organization,
                day=day,
                slot=slot,
                data=form.booking_data(),
                confirmed=set(request.POST.getlist("confirm")),
            )
            messages.success(
                request,
                _("The slot is booked.")
                if slot
                else _("They are on the waiting list; you will be told if a slot frees up."),
            )
            return redirect("outreach:booking_detail", booking.pk)
        except services.SlotTaken:
            form.add_error("slot", SLOT_TAKEN)
        except services.PersonalDataFound as exc:
            findings = _findings(form, exc)
            messages.warning(
                request,
                _(
                    "Nothing was saved yet. Check the highlighted passages: remove what could "
                    "identify the person, or confirm each one you keep."
                ),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
    elif request.method == "POST":
        messages.error(request, KEPT)
    return render(
        request,
        "outreach/booking_form.html",
        {"form": form, "day": day, "organization": organization, "findings": findings},
    )


@login_required
@require_GET
def booking_list(request):
    permissions.require_outreach_user(request.user)
    page = Paginator(selectors.bookings_for_list(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request, "outreach/booking_list.html", {"page": page, "is_coordinator": is_coordinator(request.user)}
    )


@login_required
@require_GET
def booking_detail(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    audit.record(actor=request.user, action="outreach.booking_view", obj=booking)
    return render(
        request,
        "outreach/booking_detail.html",
        {
            "booking": booking,
            "is_coordinator": is_coordinator(request.user),
            "record_form": RecordForm(),
            "cancel_refusal": permissions.booking_cancel_refusal(booking),
        },
    )


@login_required
def booking_cancel(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    refusal = permissions.booking_cancel_refusal(booking) if booking.status != "cancelled" else ""
    if refusal:
        messages.error(request, refusal)
        return redirect("outreach:booking_detail", booking.pk)
    if request.method == "POST":
        try:
            services.booking_cancel(actor=request.user, booking=booking)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect("outreach:booking_detail", booking.pk)
        messages.success(
            request, _("The booking was cancelled; the slot went to the waiting list if anyone was waiting.")
        )
        return redirect("outreach:host_detail", booking.day.host_id)
    return render(
        request,
        "outreach/confirm.html",
        {
            "title": _("Cancel this booking"),
            "what": _(
                "The slot is freed and offered to the first on the day's waiting list. This cannot be undone."
            ),
            "button": _("Cancel the booking"),
            "back_url_name": "outreach:booking_detail",
            "back_pk": booking.pk,
        },
    )


@login_required
@require_POST
def booking_record(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    permissions.require_coordinator(request.user)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.booking_record(
                actor=request.user,
                booking=booking,
                outcome=form.cleaned_data["outcome"],
                referred_to=form.cleaned_data["referred_to"],
            )
            messages.success(request, _("The record was saved."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        messages.error(request, _("Choose what happened."))
    return redirect("outreach:host_detail", booking.day.host_id)


@login_required
@require_GET
def summary_xlsx(request):
    permissions.require_outreach_user(request.user)
    fy = _fiscal_year(request)
    own = None if is_coordinator(request.user) else list(permissions.municipal_org_ids(request.user))
    rows = services.summary_rows(fy, own)
    audit.record(actor=request.user, action="outreach.summary", details={"fiscal_year": fy})
    return spreadsheets.xlsx_response(
        [("巡回相談", services.SUMMARY_HEADER, rows)], f"touring-consultation-{fy}.xlsx"
    )


# --- 訪問相談 referrals -------------------------------------------------------------------------------


@login_required
@require_GET
def referral_list(request):
    permissions.require_outreach_user(request.user)
    page = Paginator(selectors.referrals_for_list(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/referral_list.html",
        {
            "page": page,
            "is_coordinator": is_coordinator(request.user),
            "can_refer": permissions.is_municipal_staff(request.user),
        },
    )


def _referral_form(request, referral, organization):
    form = ReferralForm(
        request.POST or None, instance=referral, initial={"version": referral.version if referral else None}
    )
    findings = []
    conflict = None
    if request.method == "POST" and form.is_valid():
        confirmed = set(request.POST.getlist("confirm"))
        try:
            if referral is None:
                referral = services.referral_submit(
                    actor=request.user,
                    organization=organization,
                    data=form.referral_data(),
                    confirmed=confirmed,
                )
                messages.success(request, _("The referral was sent to the Support Net."))
            else:
                referral = services.referral_resubmit(
                    actor=request.user,
                    referral=referral,
                    data=form.referral_data(),
                    based_on_version=form.cleaned_data["version"] or 0,
                    confirmed=confirmed,
                )
                messages.success(request, _("The completed referral was sent to the Support Net."))
            return redirect("outreach:referral_detail", referral.pk)
        except services.StaleEdit as exc:
            messages.error(request, STALE)
            conflict = _conflict(form, {n: getattr(exc.current, n) for n in ReferralForm.Meta.fields})
            rebase(form, exc.current.version)
        except services.PersonalDataFound as exc:
            findings = _findings(form, exc)
            messages.warning(
                request,
                _(
                    "Nothing was sent yet. Check the highlighted passages: remove what could "
                    "identify the person, or confirm each one you keep."
                ),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
    elif request.method == "POST":
        messages.error(request, KEPT)
    return render(
        request,
        "outreach/referral_form.html",
        {
            "form": form,
            "referral": referral,
            "organization": organization,
            "findings": findings,
            "conflict": conflict,
        },
    )


@login_required
def referral_create(request):
    permissions.require_outreach_user(request.user)
    organization = permissions.referral_organization(request.user, getattr(request, "organization", None))
    return _referral_form(request, None, organization)


@login_required
def referral_edit(request, pk):
    referral = permissions.get_referral_for_owner(request.user, pk)
    if referral.status != VisitReferral.Status.INFO_REQUESTED:
        messages.info(
            request, _("The referral can be changed only when the Support Net asks for more information.")
        )
        return redirect("outreach:referral_detail", referral.pk)
    if request.method == "GET":
        # The edit page shows the whole referral: a read of it is audited like the detail page's.
        audit.record(actor=request.user, action="visit_referral.edit_view", obj=referral)
    return _referral_form(request, referral, referral.organization)


@login_required
@require_GET
def referral_detail(request, pk):
    referral = permissions.get_referral_for(request.user, pk)
    audit.record(actor=request.user, action="visit_referral.view", obj=referral)
    coordinator = is_coordinator(request.user)
    staff = selectors.support_net_staff()
    visits = list(permissions.shared_visits(request.user, referral))
    return render(
        request,
        "outreach/referral_detail.html",
        {
            "referral": referral,
            "is_coordinator": coordinator,
            "is_owner": permissions.membership_in_org(request.user, referral.organization) is not None,
            "visits": visits,
            "visit_count": referral.visits.count(),
            "transitions": referral.transitions.select_related("actor"),
            "triage_form": TriageForm(),
            "interview_form": InterviewForm(),
            "outcome_form": OutcomeForm(),
            "visit_form": VisitForm(staff_choices=staff, initial={"visited_on": timezone.localdate()}),
            "extend_form": ExtendForm(),
            "interview_past": bool(referral.interview_at and referral.interview_at <= timezone.now()),
        },
    )


def _coordinator_post(request, pk, form_class, call, done, **form_kwargs):
    """Coordinator actions on a referral: validate, call the service, report; errors come back as
    messages with the referral page (the typed text is in the message)."""
    referral = permissions.get_referral_for_coordinator(request.user, pk)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            call(referral, form.cleaned_data)
            messages.success(request, done)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for err in errs:
                messages.error(request, f"{label}：{err}" if label else err)
    return redirect("outreach:referral_detail", referral.pk)


@login_required
@require_POST
def referral_triage(request, pk):
    return _coordinator_post(
        request,
        pk,
        TriageForm,
        lambda r, d: services.referral_triage(
            actor=request.user, referral=r, decision=d["decision"], note=d["note"]
        ),
        _("The decision was recorded and the municipality told."),
    )


@login_required
@require_POST
def referral_interview(request, pk):
    def call(r, d):
        starts = timezone.make_aware(dt.datetime.combine(d["date"], d["time"]))
        services.referral_schedule_interview(
            actor=request.user, referral=r, starts_at=starts, place=d["place"]
        )

    return _coordinator_post(
        request,
        pk,
        InterviewForm,
        call,
        _("The interview was arranged; the municipality received a calendar entry."),
    )


@login_required
@require_GET
def referral_interview_ics(request, pk):
    referral = permissions.get_referral_for(request.user, pk)
    if referral.interview_at is None:
        raise Http404
    return http.download(
        build_ics(services.interview_calendar_event(referral), method="PUBLISH"),
        http.ICS,
        f"interview-{referral.pk}.ics",
    )


@login_required
@require_POST
def referral_outcome(request, pk):
    return _coordinator_post(
        request,
        pk,
        OutcomeForm,
        lambda r, d: services.referral_interview_outcome(
            actor=request.user,
            referral=r,
            visit=d["visit"],
            note=d["note"],
            for_municipality=d["for_municipality"],
        ),
        _("The outcome of the interview was recorded."),
    )


@login_required
@require_POST
def visit_add(request, pk):
    return _coordinator_post(
        request,
        pk,
        VisitForm,
        lambda r, d: services.visit_add(
            actor=request.user,
            referral=r,
            visited_on=d["visited_on"],
            staff=list(d["staff"]),
            record=d["record"],
            shared=d["shared"],
        ),
        _("The visit was recorded."),
        staff_choices=selectors.support_net_staff(),
    )


@login_required
@require_POST
def referral_extend(request, pk):
    return _coordinator_post(
        request,
        pk,
        ExtendForm,
        lambda r, d: services.referral_extend(actor=request.user, referral=r, reason=d["reason"]),
        _("One more visit was allowed; the reason is recorded."),
    )


@login_required
def referral_close(request, pk):
    referral = permissions.get_referral_for_coordinator(request.user, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_close(actor=request.user, referral=referral, note=form.cleaned_data["note"])
            messages.success(request, _("The referral was closed."))
            return redirect("outreach:referral_detail", referral.pk)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    return render(
        request,
        "outreach/confirm.html",
        {
            "title": _("Close home-visit referral %(ref)s") % {"ref": referral.reference},
            "what": _(
                "No further visits are recorded. The municipality is told, with the note below. "
                "The record is kept for the retention period and then erased."
            ),
            "button": _("Close the referral"),
            "form": form,
            "back_url_name": "outreach:referral_detail",
            "back_pk": referral.pk,
        },
    )


@login_required
@require_GET
def referral_statistics(request):
    permissions.require_coordinator(request.user)
    fy = _fiscal_year(request)
    sheets = [
        (title, services.referral_stat_header(), rows)
        for title, rows in services.referral_statistics(fy).items()
    ]
    audit.record(actor=request.user, action="visit_referral.statistics", details={"fiscal_year": fy})
    return spreadsheets.xlsx_response(sheets, f"home-visit-referrals-{fy}.xlsx")
