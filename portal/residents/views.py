"""Views of the residents' services: thin, the rules in permissions, reads in selectors, writes in
services. Public pages and forms need no account; the secretariat's pages are for coordinators."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core import audit, http, pdf, pii, spreadsheets
from portal.core.dates import fiscal_year_of
from portal.guidebook.content import render as _guidebook_render

from . import abuse, links, permissions, selectors, services
from .forms import (
    AssignForm,
    AttendanceForm,
    IndividualForm,
    PageForm,
    PeerBookingForm,
    PhoneIndividualForm,
    SeminarEditForm,
    SeminarForm,
)
from .models import Channel, ConsultationDay, IndividualApplication, Page, Seminar, SeminarApplication

A = IndividualApplication.Status
_SHIFTED = re.compile(r"<(/?)h([3-6])>")


def render_markdown(text: str) -> str:
    """The guidebook's sanitised Markdown, with the page's own heading levels: its text sits
    under the page title (h1), so ``##`` is an h2 (the guidebook puts chapters above it)."""
    return _SHIFTED.sub(
        lambda m: f"<{m[1]}h{int(m[2]) - 2 if int(m[2]) >= 4 else 2}>", _guidebook_render(text)
    )


# --- public pages ------------------------------------------------------------------------------


def _page(request, kind, template="residents/page.html", extra=None):
    page = selectors.public_page(kind)
    context = {"page": page, "body_html": render_markdown(page.body), "free_dial": services.FREE_DIAL}
    return render(request, template, {**context, **(extra or {})})


def methods(request):
    return _page(request, Page.Kind.METHODS, "residents/methods.html")


def about(request):
    return _page(request, Page.Kind.ABOUT)


def for_person(request):
    return _page(request, Page.Kind.PERSON)


def for_family(request):
    return _page(request, Page.Kind.FAMILY)


def examples(request):
    return _page(request, Page.Kind.CASES)


def events(request):
    return render(
        request, "residents/events.html", {"events": selectors.events(), "free_dial": services.FREE_DIAL}
    )


# --- public forms ------------------------------------------------------------------------------


def _send_or_confirm(request, form, template, context, apply):
    """GET: the form. POST: check it, then the confirmation screen, then (``send``) apply.
    A robot (honeypot filled) gets the same thanks and nothing is saved; too many sends get a
    page that gives the phone number."""
    step = "form"
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        if "send" not in request.POST:
            step = "confirm"
        elif form.robot():
            return redirect("residents:thanks")
        else:
            try:
                abuse.check(
                    ip=audit.client_ip(request),
                    contact=[form.cleaned_data.get("email", ""), form.cleaned_data.get("phone", "")],
                )
            except abuse.Limited:
                return render(
                    request, "residents/limited.html", {"free_dial": services.FREE_DIAL}, status=429
                )
            try:
                apply(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
                step = "form"
            else:
                return redirect("residents:thanks")
    return render(request, template, {**context, "form": form, "step": step, "free_dial": services.FREE_DIAL})


@never_cache
def individual_apply(request):
    slots = selectors.open_slots()
    form = IndividualForm(request.POST or None, slots=slots, municipalities=selectors.municipality_names())

    def apply(data):
        services.individual_apply(data=data, preferences=data["preferences"])

    return _send_or_confirm(
        request, form, "residents/individual_form.html", {"days": selectors.open_days()}, apply
    )


@never_cache
def seminar_apply(request):
    seminars = selectors.upcoming_seminars(open_only=True)
    form = SeminarForm(request.POST or None, seminars=seminars, municipalities=selectors.municipality_names())
    if request.method == "GET" and request.GET.get("seminar"):
        form.initial["seminars"] = [request.GET["seminar"]]

    def apply(data):
        services.seminar_apply(data=data, seminars=data["seminar_list"], mode=data["mode"])

    return _send_or_confirm(request, form, "residents/seminar_form.html", {"seminars": seminars}, apply)


def schedule_flyer(request, year, kind):
    """The year's flyer of 個別相談 (平日 or 土日): the days, times, venue, deadline and how to apply."""
    if kind not in ConsultationDay.Kind.values:
        raise Http404
    days = list(selectors.published_days(year, kind))
    if not days:
        raise Http404
    content = pdf.render_pdf(
        "residents/pdf/flyer.html",
        {
            "days": days,
            "kind": kind,
            "year": year,
            "free_dial": services.FREE_DIAL,
            "venues": services.VENUE_NAMES,
        },
    )
    return http.download(content, http.PDF, f"kobetsu-soudan-{year}-{kind}.pdf", inline=True)


def thanks(request):
    return render(request, "residents/thanks.html", {"free_dial": services.FREE_DIAL})


def _application_for_token(token):
    try:
        kind, pk, nonce = links.read_token(token)
    except links.BadLink:
        raise Http404 from None
    model = IndividualApplication if kind == "individual" else SeminarApplication
    application = model.objects.filter(pk=pk, nonce=nonce, purged_at__isnull=True).first()
    if application is None:
        raise Http404
    return kind, application


@never_cache
def manage(request, token):
    """The applicant's own page, reached only by the signed link of the letters: what they applied
    for, and a button to cancel (after a confirmation) or to accept an offered time."""
    kind, application = _application_for_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel" and request.POST.get("confirm") == "yes":
            if kind == "individual":
                services.individual_cancel(application=application)
            else:
                services.seminar_application_cancel(application=application)
            return render(request, "residents/manage_done.html", {"free_dial": services.FREE_DIAL})
        if action == "accept" and kind == "individual":
            try:
                services.individual_accept(application=application)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Thank you. The date is confirmed."))
            application.refresh_from_db()
        if action == "accept_seat" and kind == "seminar":
            seat = application.seats.filter(pk=request.POST.get("seat")).first()
            if seat is not None:
                try:
                    services.seminar_seat_accept(seat=seat)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
        if action == "cancel" and request.POST.get("confirm") != "yes":
            return render(
                request,
                "residents/manage_cancel.html",
                {"token": token, "kind": kind, "application": application},
            )
    seats = list(application.seats.select_related("seminar")) if kind == "seminar" else []
    return render(
        request,
        "residents/manage.html",
        {
            "kind": kind,
            "application": application,
            "seats": seats,
            "token": token,
            "free_dial": services.FREE_DIAL,
            "venues": services.VENUE_NAMES,
        },
    )


# --- the secretariat ---------------------------------------------------------------------------


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or fiscal_year_of())
    except ValueError:
        return fiscal_year_of()


@login_required
def application_list(request):
    permissions.require_secretariat(request.user)
    status = request.GET.get("status", "")
    if status not in A.values:
        status = ""
    page = Paginator(selectors.individual_rows(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "residents/application_list.html", {"page": page, "status": status, "statuses": A.choices}
    )


@login_required
def phone_application(request):
    permissions.require_secretariat(request.user)
    slots = selectors.open_slots(staff=True)
    form = PhoneIndividualForm(
        request.POST or None, slots=slots, municipalities=selectors.municipality_names()
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.individual_apply(
                data=form.cleaned_data,
                preferences=form.cleaned_data["preferences"],
                channel=form.cleaned_data["channel"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The application was entered (reference %(ref)s).") % {"ref": application.reference},
            )
            return redirect("residents:application_detail", application.pk)
    return render(request, "residents/phone_form.html", {"form": form})


@login_required
def application_detail(request, pk):
    application = permissions.get_individual_application_for(request.user, pk)
    prefs = application.preferences()
    other = [s for s in selectors.open_slots(staff=True) if s not in prefs]
    return render(
        request,
        "residents/application_detail.html",
        {
            "application": application,
            "assign_form": AssignForm(slots=prefs, prefix="assign"),
            "offer_form": AssignForm(slots=other, prefix="offer"),
            "attendance_form": AttendanceForm(prefix="att"),
            "venues": services.VENUE_NAMES,
        },
    )


def _application_action(request, pk, fn):
    application = permissions.get_individual_application_for(request.user, pk)
    try:
        fn(application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("residents:application_detail", application.pk)


@login_required
@require_POST
def application_assign(request, pk):
    offer = request.POST.get("offer") == "1"
    prefix = "offer" if offer else "assign"

    def act(application):
        prefs = application.preferences()
        slots = [s for s in selectors.open_slots(staff=True) if s not in prefs] if offer else prefs
        form = AssignForm(request.POST, slots=slots, prefix=prefix)
        if not form.is_valid():
            raise ValidationError(_("Choose a time."))
        services.individual_assign(
            actor=request.user,
            application=application,
            slot=form.slot_map[form.cleaned_data["slot"]],
            told_by=form.cleaned_data["told_by"],
            offer=offer,
        )
        messages.success(request, _("The time was offered.") if offer else _("The time was confirmed."))

    return _application_action(request, pk, act)


@login_required
@require_POST
def application_waitlist(request, pk):
    return _application_action(
        request, pk, lambda a: services.individual_waitlist(actor=request.user, application=a)
    )


@login_required
@require_POST
def application_decline(request, pk):
    told_by = request.POST.get("told_by", Channel.MAIL)
    return _application_action(
        request, pk, lambda a: services.individual_decline(actor=request.user, application=a, told_by=told_by)
    )


@login_required
@require_POST
def application_accept(request, pk):
    return _application_action(
        request, pk, lambda a: services.individual_accept(application=a, actor=request.user)
    )


@login_required
def application_cancel(request, pk):
    application = permissions.get_individual_application_for(request.user, pk)
    if request.method == "POST":
        services.individual_cancel(application=application, actor=request.user)
        messages.success(request, _("The application was cancelled."))
        return redirect("residents:application_detail", application.pk)
    return render(request, "residents/staff_cancel.html", {"application": application})


@login_required
@require_POST
def application_attendance(request, pk):
    def act(application):
        form = AttendanceForm(request.POST, prefix="att")
        if not form.is_valid():
            raise ValidationError(_("Choose what happened."))
        services.individual_attendance(
            actor=request.user, application=application, attendance=form.cleaned_data["attendance"]
        )

    return _application_action(request, pk, act)


@login_required
def day_list(request):
    permissions.require_secretariat(request.user)
    year = _year(request)
    if request.method == "POST":
        try:
            services.schedule_create(actor=request.user, fiscal_year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The schedule of the year was created."))
        return redirect(f"{reverse('residents:day_list')}?year={year}")
    return render(
        request, "residents/day_list.html", {"days": selectors.days_for_secretariat(year), "year": year}
    )


@login_required
def day_detail(request, pk):
    permissions.require_secretariat(request.user)
    day = ConsultationDay.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    return render(
        request,
        "residents/day_detail.html",
        {"day": day, "sheet": selectors.day_sheet(request.user, day), "venues": services.VENUE_NAMES},
    )


@login_required
def seminar_list(request):
    permissions.require_secretariat(request.user)
    year = _year(request)
    return render(
        request,
        "residents/seminar_list.html",
        {"seminars": selectors.seminars_for_secretariat(year), "year": year},
    )


@login_required
def seminar_detail(request, pk):
    """The seminar's seats, and its theme, lecturer, seats and link for the secretariat to edit
    (what was typed is kept when something is refused)."""
    permissions.require_secretariat(request.user)
    seminar = Seminar.objects.filter(pk=pk).first()
    if seminar is None:
        raise Http404
    initial = {
        f: getattr(seminar, f) for f in ("theme", "lecturer", "capacity", "online_url", "is_published")
    }
    form = SeminarEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.seminar_update(actor=request.user, seminar=seminar, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error("capacity", exc)
            else:
                messages.success(request, _("The seminar was saved."))
                return redirect("residents:seminar_detail", seminar.pk)
        status = 400
    return render(
        request,
        "residents/seminar_detail.html",
        {
            "seminar": seminar,
            "seats": selectors.seminar_rows(request.user, seminar),
            "venues": services.VENUE_NAMES,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def seat_cancel(request, pk):
    seat = permissions.get_seminar_seat_for(request.user, pk)
    services.seminar_seat_cancel(seat=seat, actor=request.user)
    messages.success(request, _("The seat was cancelled."))
    return redirect("residents:seminar_detail", seat.seminar_id)


@login_required
@require_POST
def seat_attendance(request, pk):
    seat = permissions.get_seminar_seat_for(request.user, pk)
    try:
        services.seminar_attendance(
            actor=request.user, seat=seat, attended=request.POST.get("attended") == "yes"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("residents:seminar_detail", seat.seminar_id)


@login_required
def peer_list(request):
    permissions.require_secretariat(request.user)
    if request.method == "POST":
        services.peer_schedule_create(actor=request.user, fiscal_year=fiscal_year_of())
        return redirect("residents:peer_list")
    return render(request, "residents/peer_list.html", {"days": selectors.peer_days(request.user)})


@login_required
def peer_book(request, pk):
    permissions.require_secretariat(request.user)
    slot = permissions.get_peer_slot(pk)
    form = PeerBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_book(actor=request.user, slot=slot, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The peer consultation was booked."))
            return redirect("residents:peer_list")
    return render(request, "residents/peer_form.html", {"form": form, "slot": slot})


@login_required
@require_POST
def peer_cancel(request, pk):
    booking = permissions.get_peer_booking_for(request.user, pk)
    services.peer_cancel(actor=request.user, booking=booking)
    messages.success(request, _("The booking was cancelled."))
    return redirect("residents:peer_list")


@login_required
def yearly_counts(request):
    permissions.require_secretariat(request.user)
    year = _year(request)
    counts = selectors.yearly_counts(request.user, year)
    header = {
        _("By service"): [_("Service"), _("Confirmed"), _("Attended")],
        _("By venue"): [_("Service"), _("Venue"), _("Count")],
        _("By month"): [_("Service"), _("Month"), _("Count")],
        _("By relationship"): [_("Relationship"), _("Count")],
        _("By municipality"): [_("Service"), _("Municipality"), _("Count")],
    }
    sheets = [(title, header[title], rows) for title, rows in counts.items()]
    audit.record(actor=request.user, action="residents.counts_export", details={"fiscal_year": year})
    return spreadsheets.xlsx_response(sheets, spreadsheets.dated_filename(f"residents-{year}", "xlsx"))


@login_required
def page_list(request):
    permissions.require_secretariat(request.user)
    return render(
        request, "residents/page_list.html", {"pages": Page.objects.order_by("kind"), "now": timezone.now()}
    )


def _staff_page(user, kind) -> Page:
    permissions.require_secretariat(user)
    page = Page.objects.filter(kind=kind).first()
    if page is None:
        raise Http404
    return page


@login_required
def page_edit(request, kind):
    page = _staff_page(request.user, kind)
    form = PageForm(request.POST or None, instance=page)
    preview, findings, current = None, [], None
    if request.method == "POST" and form.is_valid():
        confirmed = set(request.POST.getlist("confirm"))
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
            found = services.page_findings(kind, form.cleaned_data, confirmed)
            findings = _findings(form, found)
        else:
            try:
                services.page_save(
                    actor=request.user,
                    page=page,
                    data=form.cleaned_data,
                    based_on_version=int(request.POST.get("version") or 0),
                    confirmed=confirmed,
                )
            except services.PersonalDataFound as exc:
                findings = _findings(form, exc.findings)
            except services.StaleEdit as exc:
                current = exc.current
                form.add_error(
                    None, _("Someone saved this page after you opened it. Reload the page to see their text.")
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The page was saved."))
                return redirect("residents:page_history", kind)
    return render(
        request,
        "residents/page_edit.html",
        {"page": page, "form": form, "preview": preview, "findings": findings, "current": current},
    )


def _findings(form, found):
    return [
        (form[name], items, [(f, pii.finding_key(name, f)) for f in items]) for name, items in found.items()
    ]


@login_required
def page_history(request, kind):
    page = _staff_page(request.user, kind)
    return render(
        request,
        "residents/page_history.html",
        {"page": page, "revisions": page.revisions.select_related("edited_by")},
    )
