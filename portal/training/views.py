"""Thin views of the training programme."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.permissions import is_coordinator, require_coordinator
from portal.core import audit, confirm, http, pdf, seat_pages, spreadsheets, streaming, waitlist
from portal.core import exports as core_exports
from portal.core.calendars import build_ics
from portal.core.dates import fiscal_year_label, fiscal_year_of, wareki
from portal.core.exceptions import StaleEdit
from portal.core.forms import carried_fields, rebase

from . import exports, permissions, selectors, services
from .forms import (
    AttendanceForm,
    ColleaguesForm,
    CourseForm,
    ModuleForm,
    QuestionForm,
    QuizForm,
    SessionEditForm,
    SessionForm,
    SessionRegistrationForm,
    SessionSeriesForm,
)


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return fiscal_year_of()


@login_required
def catalogue(request):
    permissions.require_member(request.user)
    year = _year(request)
    return render(
        request,
        "training/catalogue.html",
        {
            "year": year,
            "year_label": fiscal_year_label(year),
            "years": [(y, fiscal_year_label(y)) for y in selectors.fiscal_years()],
            "courses": selectors.catalogue(request.user, year),
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def course_detail(request, pk):
    course = permissions.get_course_for(request.user, pk)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "is_coordinator": is_coordinator(request.user),
            "module_form": ModuleForm(),
            **selectors.course_page(request.user, course),
        },
    )


@login_required
def course_create(request):
    require_coordinator(request.user)
    return _course_form(request, None)


@login_required
def course_edit(request, pk):
    return _course_form(request, permissions.get_course_for_coordinator(request.user, pk))


def _course_form(request, course):
    form = CourseForm(request.POST or None, instance=course, initial={"fiscal_year": fiscal_year_of()})
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "prerequisites"}
        try:
            course = services.course_save(
                actor=request.user,
                course=course,
                prerequisites=form.cleaned_data["prerequisites"],
                **fields,
            )
            messages.success(request, _("The course was saved."))
            return redirect("training:course_detail", course.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@login_required
def session_create(request, pk):
    course = permissions.get_course_for_coordinator(request.user, pk)
    form = SessionForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, course=course, **form.schedule_fields())
            messages.success(request, _("The session was created."))
            return redirect("training:session_detail", session.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "training/session_form.html", {"form": form, "course": course})


@login_required
def session_series(request, pk):
    """Several sessions of a course at once: the form, then a confirmation page listing every date
    (holidays marked as skipped) before anything is created; "back" keeps what was typed."""
    course = permissions.get_course_for_coordinator(request.user, pk)
    form = SessionSeriesForm(request.POST or None, course=course)
    if request.method == "POST" and not request.POST.get("back") and form.is_valid():
        if request.POST.get("confirmed"):
            try:
                sessions = services.session_series_create(
                    actor=request.user,
                    course=course,
                    occurrences=form.occurrences(),
                    label=form.cleaned_data["label"],
                    **form.session_fields(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(n)d session was created.", "%(n)d sessions were created.", len(sessions))
                    % {"n": len(sessions)},
                )
                return redirect("training:course_detail", course.pk)
        if not form.errors:
            return render(
                request,
                "training/series_confirm.html",
                {"form": form, "course": course, "plan": form.plan, "carried": carried_fields(request.POST)},
            )
    return render(
        request,
        "training/series_form.html",
        {"form": form, "course": course},
        status=400 if form.errors else 200,
    )


@login_required
def session_edit(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    form = SessionEditForm(request.POST or None, instance=session, initial={"version": session.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                actor=request.user,
                session=session,
                based_on_version=form.cleaned_data["version"],
                **form.schedule_fields(),
            )
            messages.success(request, _("Saved; registrants were sent the new details."))
            return redirect("training:session_detail", session.pk)
        except StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this session in the meantime. Your input is kept; check "
                    "it and save again."
                ),
            )
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "training/session_form.html", {"form": form, "course": session.course, "session": session}
    )


@login_required
def session_cancel(request, pk):
    """Cancelling tells everyone and cannot be undone: a confirmation page first."""
    session = permissions.get_session_for_coordinator(request.user, pk)
    if not (request.method == "POST" and request.POST.get("confirmed")):
        if session.cancelled_at:
            return redirect("training:session_detail", session.pk)
        return render(
            request,
            "training/session_cancel_confirm.html",
            {"session": session, **selectors.seat_counts(session)},
        )
    services.session_cancel(actor=request.user, session=session)
    messages.success(request, _("The session was cancelled and everyone registered was told."))
    return redirect("training:session_detail", session.pk)


def _render_session(request, session, *, status=200, colleagues_form=None, results=None, form=None):
    colleagues = selectors.colleagues_to_register(request.user, session)
    page = selectors.session_page(request.user, session)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "is_coordinator": is_coordinator(request.user),
            "colleagues_form": colleagues_form
            or (ColleaguesForm(colleagues=colleagues) if colleagues is not None else None),
            "results": results,
            "form": form
            or SessionRegistrationForm(
                online=session.has_online,
                initial_mode=waitlist.default_mode(session.capacity, session.online_capacity),
            ),
            **page,
        },
        status=status,
    )


@login_required
def session_detail(request, pk):
    return _render_session(request, permissions.get_session_for(request.user, pk))


@login_required
@require_POST
def register(request, pk):
    session = permissions.get_session_for(request.user, pk)
    form = SessionRegistrationForm(request.POST, online=session.has_online)
    if not form.is_valid():
        return _render_session(request, session, status=400, form=form)
    try:
        registration = services.register(
            actor=request.user,
            session=session,
            mode=form.cleaned_data.get("mode", "venue"),
            accessibility=form.cleaned_data["accessibility"],
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return _render_session(request, session, status=400, form=form)
    messages.success(
        request,
        _("Registered. A confirmation with the date was sent by email.")
        if registration.status == "confirmed"
        else _("The session is full: you are on the waiting list. We will email you if a seat frees up."),
    )
    return redirect("training:session_detail", session.pk)


@login_required
@require_POST
def register_colleagues(request, pk):
    session = permissions.get_session_for(request.user, pk)
    colleagues = selectors.colleagues_to_register(request.user, session)
    if colleagues is None:
        raise PermissionDenied
    form = ColleaguesForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        return _render_session(request, session, status=400, colleagues_form=form)
    results = services.register_many(actor=request.user, session=session, users=form.cleaned_data["users"])
    return _render_session(request, session, results=results)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    registration = permissions.get_registration_for(request.user, pk)
    if request.method == "GET":
        session = registration.session
        return confirm.page(
            request,
            title=_("Cancel this registration?"),
            facts=[(_("Training"), session), (_("Date and time"), session.starts_at)],
            consequences=[
                _("Your seat is given up and may be offered to someone on the waiting list."),
                _("You are sent a letter confirming the cancellation."),
                _("To take part after all, register again (if seats are left)."),
            ],
            button=_("Cancel my registration"),
            back=reverse("training:session_detail", args=[session.pk]),
        )
    try:
        services.cancel(actor=request.user, registration=registration)
        messages.success(request, _("The registration was cancelled."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("training:session_detail", registration.session_id)


@login_required
def registration_manage(request, pk):
    """The registrant (or their organisation's admin) changes the attendance mode and access needs
    until the deadline and sees the place on the waiting list; what was typed is kept on refusal."""
    registration = permissions.get_registration_to_manage(request.user, pk)
    session = registration.session
    return seat_pages.manage(
        request,
        registration,
        occasion=session,
        title=str(session),
        update=services.registration_update,
        leave_url=reverse("training:registration_leave", args=[registration.pk]),
        done=reverse("training:session_detail", args=[session.pk]),
        position=selectors.waiting_position(registration),
        context={"session": session},
    )


@login_required
def registration_leave(request, pk):
    """Leaving (the waiting list or a seat) cannot be undone: a confirmation page first."""
    registration = permissions.get_registration_to_manage(request.user, pk)
    return seat_pages.leave(
        request,
        registration,
        cancel=services.cancel,
        title=str(registration.session),
        manage_url=reverse("training:registration_manage", args=[registration.pk]),
        done=reverse("training:session_detail", args=[registration.session_id]),
        position=selectors.waiting_position(registration),
        context={"session": registration.session},
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
    return redirect("training:session_detail", registration.session_id)


@login_required
@require_GET
def session_ics(request, pk):
    session = permissions.get_session_for(request.user, pk)
    return http.download(
        build_ics(services.session_calendar(session), method="PUBLISH"),
        http.ICS,
        f"training-{session.pk}.ics",
    )


ROSTER_PAGE = 100  # lines a page; the PDF and the export hold everyone


@login_required
def roster(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    query = request.GET.get("q", "").strip()
    lines = selectors.roster_lines(selectors.roster(session, query=query))
    page = Paginator(lines, ROSTER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    form = AttendanceForm(request.POST or None, registrations=selectors.confirmed_roster(session))
    if request.method == "POST" and form.is_valid():
        try:
            n = services.mark_attendance(
                actor=request.user,
                session=session,
                registrations=form.cleaned_data["registrations"],
                attendance=form.cleaned_data["attendance"],
            )
            messages.success(request, _("Attendance recorded for %(n)d people.") % {"n": n})
            back = reverse("training:roster", args=[session.pk])
            return redirect(f"{back}?{request.GET.urlencode()}" if request.GET else back)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "training/roster.html",
        {
            "session": session,
            "form": form,
            "lines": form.lines(rows),
            "page": page,
            "q": query,
            "pending": selectors.certificates_waiting(session.course_id, session),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def roster_export(request, pk):
    """The roster page's rows (every registration not cancelled) as xlsx or CSV."""
    session = permissions.get_session_for_coordinator(request.user, pk)
    return core_exports.list_download(
        request,
        action="training.roster_export",
        obj=session,
        title=_("Registrations"),
        header=exports.roster_header(),
        rows=exports.roster_rows(selectors.roster(session)),
        stem=f"training-registrations-{session.pk}",
    )


@login_required
@require_GET
def waitlist_export(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    return core_exports.list_download(
        request,
        action="training.waitlist_export",
        obj=session,
        title=_("Waiting list"),
        header=exports.waitlist_header(),
        rows=exports.waitlist_rows(selectors.waiting_list(session)),
        stem=f"training-waiting-list-{session.pk}",
    )


@login_required
@require_GET
def roster_pdf(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    content = pdf.render_pdf(
        "training/pdf/attendance.html",
        {
            "session": session,
            "day": wareki(session.starts_at),
            "registrations": selectors.confirmed_roster(session),
        },
    )
    return http.download(content, http.PDF, f"training-attendance-{session.pk}.pdf")


@login_required
def certificates_issue(request, pk):
    """Issuing cannot be undone (numbers are given, attendance is frozen): a confirmation page
    says what will happen, and only its confirmed POST starts the batch."""
    course = permissions.get_course_for_coordinator(request.user, pk)
    session = None
    session_pk = request.POST.get("session") or request.GET.get("session")
    if session_pk:
        session = permissions.get_session_of_course_for_coordinator(request.user, course, session_pk)
    back = (
        reverse("training:roster", args=[session.pk])
        if session
        else reverse("training:course_detail", args=[course.pk])
    )
    if request.method == "POST" and request.POST.get("confirmed"):
        try:
            batch = services.certificate_batch_start(actor=request.user, course=course, session=session)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(back)
        return redirect("training:batch_detail", batch.pk)
    return render(
        request,
        "training/certificates_confirm.html",
        {
            "course": course,
            "session": session,
            "back": back,
            **selectors.certificate_preview(course, session),
        },
    )


@login_required
def batch_detail(request, pk):
    batch = permissions.get_batch_for_coordinator(request.user, pk)
    return render(
        request,
        "training/batch.html",
        {
            "batch": batch,
            "note": http.job_note(batch),
            "certificates": selectors.batch_certificates(batch),
        },
    )


@login_required
@require_GET
def batch_status(request, pk):
    batch = permissions.get_batch_for_coordinator(request.user, pk)
    return http.job_progress(
        status=batch.status,
        label=batch.get_status_display(),
        done=batch.done,
        total=batch.total,
        percent=batch.percent,
        reload=True,  # the finished page lists the certificates
        note=http.job_note(batch),
    )


@login_required
@require_GET
def batch_zip(request, pk):
    """Every certificate of a batch in one zip, streamed; coordinators only, recorded."""
    from django.http import StreamingHttpResponse

    from . import archive

    batch = permissions.get_batch_for_coordinator(request.user, pk)
    certificates = list(selectors.batch_certificates(batch))
    if not certificates:
        raise Http404
    audit.record(
        actor=request.user,
        action="training.certificate_batch_download",
        obj=batch.course,
        details={"batch": batch.pk, "count": len(certificates)},
    )
    response = StreamingHttpResponse(
        archive.zip_stream((f"修了証_{c.number}.pdf", c.file) for c in certificates),
        content_type="application/zip",
    )
    response["Content-Disposition"] = streaming.content_disposition(
        f"修了証_{batch.course.title}_{batch.pk}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def certificate_download(request, pk):
    certificate = permissions.get_certificate_for(request.user, pk)
    audit.record(actor=request.user, action="training.certificate_download", obj=certificate)
    return streaming.serve(
        request,
        certificate.file,
        filename=f"修了証_{certificate.number}.pdf",
        content_type=http.PDF,
    )


def verify(request, token):
    """Public: is this certificate genuine? Shows only the name, course, number and date."""
    certificate = permissions.get_certificate_by_token(token)
    return render(request, "training/verify.html", {"certificate": certificate})


@login_required
def module_detail(request, pk):
    module = permissions.get_module_for(request.user, pk)
    questions = list(module.questions.all())
    form = QuizForm(request.POST or None, questions=questions)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.quiz_submit(actor=request.user, module=module, answers=form.answers())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.passed:
                messages.success(
                    request,
                    _("You passed (%(score)d%%). The course is complete.") % {"score": result.score}
                    if result.course_completed
                    else _("You passed (%(score)d%%).") % {"score": result.score},
                )
                return redirect("training:course_detail", module.course_id)
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "course": module.course,
            "form": form,
            "result": result,
            "question_form": QuestionForm() if is_coordinator(request.user) else None,
        },
        status=400 if form.errors or (result and not result.passed) else 200,
    )


@login_required
@require_GET
def module_video(request, pk):
    module = permissions.get_module_for(request.user, pk)
    if not module.video:
        raise Http404
    return streaming.serve(
        request,
        module.video,
        filename=f"{module.title}.{module.video_type.split('/')[-1]}",
        content_type=module.video_type,
        inline=True,
    )


@login_required
@require_POST
def module_add(request, pk):
    course = permissions.get_course_for_coordinator(request.user, pk)
    form = ModuleForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("video")
        try:
            services.module_save(actor=request.user, course=course, upload=upload, **data)
            messages.success(request, _("The module was added."))
            return redirect("training:course_detail", course.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    page = selectors.course_page(request.user, course)
    return render(
        request,
        "training/course_detail.html",
        {"course": course, "is_coordinator": True, "module_form": form, **page},
        status=400,
    )


@login_required
@require_POST
def question_add(request, pk):
    module = permissions.get_module_for_coordinator(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(actor=request.user, module=module, **form.cleaned_data)
            messages.success(request, _("The question was added."))
            return redirect("training:module_detail", module.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "course": module.course,
            "form": QuizForm(questions=module.questions.all()),
            "question_form": form,
        },
        status=400,
    )


@login_required
def transcript(request, pk=None):
    learner = permissions.get_learner_for(request.user, pk if pk is not None else request.user.pk)
    return render(
        request,
        "training/transcript.html",
        {
            "learner": learner,
            "own": learner.pk == request.user.pk,
            **selectors.transcript(request.user, learner),
        },
    )


@login_required
def organization_overview(request):
    organizations = permissions.require_org_admin(request.user)
    return render(
        request,
        "training/organization.html",
        {"organizations": organizations, **selectors.organization_overview(request.user, organizations)},
    )


@login_required
@require_GET
def year_export(request):
    require_coordinator(request.user)
    year = _year(request)
    audit.record(actor=request.user, action="training.year_export", details={"fiscal_year": year})
    return spreadsheets.xlsx_response(selectors.year_export(year), f"training-{year}.xlsx")


@login_required
@require_POST
def catalogue_copy(request):
    require_coordinator(request.user)
    try:
        to_year = int(request.POST.get("to_year", ""))
    except ValueError:
        to_year = fiscal_year_of()
    n = services.catalogue_copy(actor=request.user, from_year=to_year - 1, to_year=to_year)
    messages.success(request, _("%(n)d courses were copied from the previous year.") % {"n": n})
    return redirect(f"{reverse('training:catalogue')}?year={to_year}")
