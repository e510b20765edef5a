"""Thin views of the expert panel (多職種専門チーム)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.permissions import is_coordinator, require_coordinator
from portal.core import audit, confirm, http, paging, pdf, spreadsheets, streaming, uploads
from portal.core import exports as core_exports
from portal.core.calendars import build_ics
from portal.core.dates import fiscal_year_of, wareki
from portal.core.forms import rebase

from . import blind, exports, permissions, selectors, services
from .filters import CaseFilter
from .forms import (
    AcceptForm,
    AdhocForm,
    AdviceForm,
    BlindReviewDefaultForm,
    CaseForm,
    CommentForm,
    ConflictForm,
    DeclineForm,
    GenerateMeetingsForm,
    MeetingForm,
    NoteForm,
    ReportForm,
    ReturnForm,
    ScheduleForm,
)
from .models import AdviceRecord


def _errors(request, exc):
    for text in exc.messages:
        messages.error(request, text)


@login_required
def case_list(request):
    permissions.require_case_reader(request.user)
    filterset = CaseFilter(
        request.GET,
        queryset=selectors.cases_visible_to(request.user),
        by_organization=is_coordinator(request.user) or permissions.expert_profile(request.user) is None,
    )
    page = paging.deferred_page(
        selectors.case_list_rows(filterset.qs), request.GET.get("page"), rows=selectors.case_list_page_rows
    )
    org = getattr(request, "organization", None)
    return render(
        request,
        "casereviews/case_list.html",
        {
            "filter": filterset,
            "page": page,
            "is_coordinator": is_coordinator(request.user),
            "can_create": permissions.can_start_case(request.user, org),
            "is_expert": permissions.expert_profile(request.user) is not None,
            "can_set_blind_default": permissions.can_set_blind_default(request.user, org),
        },
    )


@login_required
@require_GET
def case_export(request):
    """The secretariat's case list with its filters, as xlsx or CSV, without any narrative."""
    require_coordinator(request.user)
    filterset = CaseFilter(request.GET, queryset=selectors.cases_visible_to(request.user))
    return core_exports.list_download(
        request,
        action="case.export",
        filterset=filterset,
        title=_("Cases"),
        header=exports.case_header(),
        rows=exports.case_rows(filterset.qs),
        stem="cases",
    )


def _case_form(request, case, organization):
    """Shared by create and edit: save the draft, or run the personal-data guard and submit."""
    form = CaseForm(
        request.POST or None,
        request.FILES or None,
        instance=case,
        initial={"version": case.version if case else None}
        | ({} if case else {"blind_review": selectors.blind_review_default(organization)}),
    )
    findings = {}
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        uploads_ = [request.FILES["attachments"]] if request.FILES.get("attachments") else []
        try:
            if submit:
                # Nothing is stored until every finding of the guard is removed or confirmed.
                case = services.case_save_and_submit(
                    actor=request.user,
                    organization=organization,
                    case=case,
                    data=form.case_data(),
                    based_on_version=form.cleaned_data["version"] or 0,
                    uploads_=uploads_,
                    confirmed=set(request.POST.getlist("confirm")),
                )
                messages.success(request, _("The case was submitted to the Support Net."))
                return redirect("casereviews:case_detail", case.pk)
            if case is None:
                case = services.case_create(
                    actor=request.user, organization=organization, data=form.case_data(), uploads_=uploads_
                )
            else:
                case = services.case_save(
                    actor=request.user,
                    case=case,
                    data=form.case_data(),
                    based_on_version=form.cleaned_data["version"] or 0,
                    uploads_=uploads_,
                )
            messages.success(request, _("The draft was saved."))
            return redirect("casereviews:case_edit", case.pk)
        except services.StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else saved this case in the meantime. Your input is kept below; "
                    "open the case again in another tab to compare, then save."
                ),
            )
            rebase(form, selectors.current_version(case))
        except services.PersonalDataFound as exc:
            findings = exc.findings
            if case is not None:
                rebase(form, case.version)
            messages.warning(
                request,
                _(
                    "Nothing was saved or sent yet. Before submitting, check the highlighted passages: "
                    "remove what could identify the person, or confirm each one you keep."
                ),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error("attachments" if uploads_ else None, exc)
            if case is not None:
                rebase(form, selectors.current_version(case))
    elif request.method == "POST":
        messages.error(
            request, _("Please correct the marked fields. Nothing was saved yet; your input is kept.")
        )
    return render(
        request,
        "casereviews/case_form.html",
        {
            "form": form,
            "case": case,
            "organization": organization,
            "findings": [
                (
                    form[name] if name in form.fields else services.attachment_passage(case, name),
                    items,
                    [(f, services.finding_key(name, f)) for f in items],
                )
                for name, items in findings.items()
            ],
        },
    )


@login_required
def case_create(request):
    permissions.require_case_reader(request.user)
    return _case_form(
        request,
        None,
        permissions.organization_for_new_case(request.user, getattr(request, "organization", None)),
    )


@login_required
def case_edit(request, pk):
    case = permissions.get_case_for_owner(request.user, pk)
    if not case.is_editable:
        messages.info(
            request, _("The case has been submitted; the secretariat can return it for more information.")
        )
        return redirect("casereviews:case_detail", case.pk)
    if request.method == "GET":
        audit.record(actor=request.user, action="case.edit_view", obj=case)
    return _case_form(request, case, case.organization)


@login_required
def case_draft_delete(request, pk):
    """Deleting a draft cannot be undone: a confirmation page first. Only the draft's own
    organisation reaches it; for anyone else, and for a submitted case, the page does not exist."""
    case = permissions.get_draft_for_owner(request.user, pk)
    if not (request.method == "POST" and request.POST.get("confirmed")):
        return render(
            request,
            "casereviews/draft_delete_confirm.html",
            {"case": case, "attachments": case.attachments.count()},
        )
    services.draft_delete(actor=request.user, case=case)
    messages.success(request, _("The draft was deleted."))
    return redirect("casereviews:case_list")


def _access_ended(request, pk):
    """A former panel expert opens a case they no longer have access to: say why, and show the
    issued advice they wrote (read-only, with its PDF). Everyone else gets the plain 404."""
    if not permissions.had_panel_access(request.user, pk):
        raise Http404
    try:
        advice = permissions.get_issued_advice_for(request.user, pk)
    except Http404:
        advice = None
    if advice is not None:
        audit.record(actor=request.user, action="advice.view", obj=advice.case)
    return render(request, "casereviews/access_ended.html", {"advice": advice}, status=403)


@login_required
def case_detail(request, pk):
    try:
        case = permissions.get_case_for(request.user, pk)
    except Http404:
        return _access_ended(request, pk)
    audit.record(actor=request.user, action="case.view", obj=case)
    return _render_detail(request, case)


def _triage_forms(data=None, bound=None):
    """Each triage action is its own form with only its own fields; ``bound`` is the one that was
    posted (kept with what was typed and its errors), the others start empty."""
    forms = {
        "return_form": ReturnForm(),
        "accept_form": AcceptForm(meetings=selectors.upcoming_meetings()),
        "adhoc_form": AdhocForm(experts=selectors.panel_experts()),
        "decline_form": DeclineForm(),
        "schedule_form": ScheduleForm(meetings=selectors.upcoming_meetings()),
    }
    forms.update(bound or {})
    return forms


def _render_detail(request, case, *, bound=None):
    coordinator = is_coordinator(request.user)
    sees_submitter = permissions.sees_submitter(request.user, case)
    panel = permissions.can_see_panel_notes(request.user, case)
    advice = selectors.advice_of(case)
    owner = permissions.is_case_owner(request.user, case)
    return render(
        request,
        "casereviews/case_detail.html",
        {
            "case": case,
            "submitter": permissions.submitter_label(request.user, case),
            "sees_submitter": sees_submitter,
            "hidden_name": "" if sees_submitter else case.organization,
            "is_expert": permissions.expert_profile(request.user) is not None,
            "is_coordinator": coordinator,
            "is_owner": owner,
            "panel_access": panel,
            "transitions": case.transitions.select_related("actor"),
            "attachments": _attachments_as_shown(case, sees_submitter),
            "blind_warnings": blind.case_warnings(case, case.attachments.all())
            if owner and case.blind_review
            else [],
            "notes": case.panel_notes.select_related("author") if panel else [],
            "advice": advice if (advice and (advice.issued_at or panel)) else None,
            "reports": case.reports.select_related("submitted_by"),
            "readers": selectors.readers_of(case) if coordinator else [],
            "confirmations": case.pii_confirmations.select_related("confirmed_by") if coordinator else [],
            "comment_form": CommentForm(),
            "note_form": NoteForm(),
            "report_form": ReportForm(),
            "slot_start": case.meeting.slot_start(case.slot) if case.meeting and case.slot else None,
            **(_triage_forms(bound=bound) if coordinator else {}),
        },
    )


def _attachments_as_shown(case, sees_submitter: bool) -> list:
    """The case's attachments, each with ``shown_name``: its own name, or a neutral one for an
    expert reading the case under blind review (a file name may name the municipality)."""
    attachments = list(case.attachments.all())
    for index, attachment in enumerate(attachments, start=1):
        attachment.shown_name = (
            attachment.original_name
            if sees_submitter
            else blind.neutral_filename(case, index, attachment.original_name)
        )
    return attachments


@login_required
def case_attachment(request, pk, attachment_pk):
    case = permissions.get_case_for(request.user, pk)
    attachment = permissions.get_attachment_for(request.user, case, attachment_pk)
    audit.record(
        actor=request.user, action="case.attachment", obj=case, details={"attachment": attachment.pk}
    )
    shown = _attachments_as_shown(case, permissions.sees_submitter(request.user, case))
    filename = next(a.shown_name for a in shown if a.pk == attachment.pk)
    return uploads.serve(attachment.file, filename=filename, content_type=attachment.content_type)


def _coordinator_action(request, pk, act, success):
    case = permissions.get_case_for_coordinator(request.user, pk)
    try:
        act(case)
        messages.success(request, success)
    except services.MeetingFull:
        messages.error(request, _("That meeting is full. Choose another meeting or raise its capacity."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("casereviews:case_detail", case.pk)


MEETING_FULL = gettext_lazy("That meeting is full. Choose another meeting or raise its capacity.")


def _triage(request, pk, name, form_class, act, success, **form_kwargs):
    """One triage action: authorise, read only this action's form, and on a problem show the case
    again with this form as it was typed and the reason next to the field."""
    case = permissions.get_case_for_coordinator(request.user, pk)  # authorise before reading the form
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid():
        try:
            with transaction.atomic():
                act(case, form.cleaned_data)
            messages.success(request, success)
            return redirect("casereviews:case_detail", case.pk)
        except services.MeetingFull:
            form.add_error("meeting", MEETING_FULL)
        except ValidationError as exc:
            form.add_error(None, exc)
        case.refresh_from_db()
    return _render_detail(request, case, bound={name: form})


@login_required
@require_POST
def case_return(request, pk):
    return _triage(
        request,
        pk,
        "return_form",
        ReturnForm,
        lambda c, d: services.case_return(actor=request.user, case=c, comment=d["comment"]),
        _("The case was returned for more information."),
    )


def _accept(actor, case, data):
    """会議で検討: accepted, and on the chosen meeting's agenda if one was chosen (both or neither)."""
    case = services.case_accept(actor=actor, case=case, comment=data["comment"])
    if data["meeting"] is not None:
        services.case_schedule(actor=actor, case=case, meeting=data["meeting"])


@login_required
@require_POST
def case_accept(request, pk):
    return _triage(
        request,
        pk,
        "accept_form",
        AcceptForm,
        lambda c, d: _accept(request.user, c, d),
        _("The case was accepted for a meeting."),
        meetings=selectors.upcoming_meetings(),
    )


@login_required
@require_POST
def case_decline(request, pk):
    return _triage(
        request,
        pk,
        "decline_form",
        DeclineForm,
        lambda c, d: services.case_decline(actor=request.user, case=c, reason=d["comment"]),
        _("The case was declined."),
    )


@login_required
@require_POST
def case_adhoc(request, pk):
    return _triage(
        request,
        pk,
        "adhoc_form",
        AdhocForm,
        lambda c, d: services.case_assign_adhoc(
            actor=request.user, case=c, expert=d["expert"], comment=d["comment"]
        ),
        _("The case was given to the expert for an ad-hoc consultation."),
        experts=selectors.panel_experts(),
    )


@login_required
@require_POST
def case_schedule(request, pk):
    return _triage(
        request,
        pk,
        "schedule_form",
        ScheduleForm,
        lambda c, d: services.case_schedule(actor=request.user, case=c, meeting=d["meeting"]),
        _("The case was put on the agenda and the municipality was invited."),
        meetings=selectors.upcoming_meetings(),
    )


@login_required
@require_POST
def case_unschedule(request, pk):
    return _coordinator_action(
        request,
        pk,
        lambda c: services.case_unschedule(actor=request.user, case=c),
        _("The case was taken off the agenda."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reviewed(request, pk):
    if request.method == "GET":
        case = permissions.get_case_for_coordinator(request.user, pk)
        return confirm.page(
            request,
            title=_("Mark this case as reviewed at the meeting?"),
            facts=[
                (_("Case"), case.reference),
                (_("Meeting"), case.meeting),
                (_("Date and time"), case.meeting.starts_at if case.meeting_id else None),
            ],
            consequences=[
                _("The case leaves the meeting's agenda and the panel's advice can be completed and issued."),
                _("This cannot be undone."),
            ],
            button=_("Reviewed at the meeting"),
            back=reverse("casereviews:case_detail", args=[case.pk]),
        )
    return _coordinator_action(
        request,
        pk,
        lambda c: services.case_mark_reviewed(actor=request.user, case=c),
        _("The case is marked as reviewed."),
    )


@login_required
@require_POST
def case_close(request, pk):
    comment = request.POST.get("comment", "")[:4000]
    return _coordinator_action(
        request,
        pk,
        lambda c: services.case_close(actor=request.user, case=c, comment=comment),
        _("The case was closed."),
    )


@login_required
@require_POST
def case_attendance(request, pk, attend):
    case = permissions.get_case_for_owner(request.user, pk)
    try:
        services.attendance_respond(actor=request.user, case=case, attend=attend)
        messages.success(request, _("Thank you for your answer."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("casereviews:case_detail", case.pk)


@login_required
@require_POST
def case_note(request, pk):
    case = permissions.get_case_for_panel(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.note_add(actor=request.user, case=case, body=form.cleaned_data["body"])
        messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("The note is empty."))
    return redirect("casereviews:case_detail", case.pk)


@login_required
@require_POST
def case_report(request, pk):
    case = permissions.get_case_for_owner(request.user, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_report(actor=request.user, case=case, body=form.cleaned_data["body"])
            messages.success(request, _("Thank you. The report was sent to the secretariat."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("The report is empty."))
    return redirect("casereviews:case_detail", case.pk)


@login_required
def advice_edit(request, pk):
    case = permissions.get_case_for_panel(request.user, pk)
    editable = permissions.advice_fields_for(request.user, case)
    advice = selectors.advice_of(case)
    if request.method == "GET":
        audit.record(actor=request.user, action="advice.view", obj=case)
    initial = {f: getattr(advice, f) for f in AdviceRecord.CONTENT_FIELDS} if advice else {}
    initial["version"] = advice.version if advice else 0
    form = AdviceForm(request.POST or None, initial=initial, editable=editable)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_save(
                actor=request.user,
                case=case,
                content={f: form.cleaned_data[f] for f in editable},
                based_on_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The advice record was saved."))
            return redirect("casereviews:advice_edit", case.pk)
        except services.StaleEdit as exc:
            current = exc.current
            messages.error(
                request,
                _(
                    "Someone else saved the advice record in the meantime. Your text is kept "
                    "below and the saved version is shown beside it; merge them, then save."
                ),
            )
            rebase(form, current.version if current else 0)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "casereviews/advice_form.html",
        {
            "case": case,
            "form": form,
            "advice": advice,
            "current": current,
            "is_coordinator": is_coordinator(request.user),
            "revisions": advice.revisions.select_related("author") if advice else [],
            "writable": [form.fields[name].label for name in editable],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def advice_issue(request, pk):
    if request.method == "GET":
        case = permissions.get_case_for_coordinator(request.user, pk)
        return confirm.page(
            request,
            title=_("Issue the advice?"),
            facts=[(_("Case"), case.reference), (_("Municipality"), case.organization)],
            consequences=[
                _("The advice is fixed as it stands now and can no longer be edited."),
                _("The municipality is told and can read and download the advice."),
                _("The experts' access to the case ends."),
            ],
            button=_("Issue the advice"),
            back=reverse("casereviews:case_detail", args=[case.pk]),
        )
    return _coordinator_action(
        request,
        pk,
        lambda c: services.advice_issue(actor=request.user, case=c),
        _("The advice was issued and the municipality was notified."),
    )


def _advice_for_pdf(user, pk) -> tuple[AdviceRecord, bool]:
    """The issued advice for everyone who may read it (as before); while the case is open, the
    draft for the panel (the granted experts and coordinators), marked as a draft. Anyone else:
    404, as for a case they cannot see."""
    try:
        return permissions.get_issued_advice_for(user, pk), False
    except Http404:
        case = permissions.get_case_for(user, pk)
        if not permissions.can_see_panel_notes(user, case):
            raise
        advice = selectors.advice_of(case)
        if advice is None:
            raise
        return advice, True


@login_required
@require_GET
def advice_pdf(request, pk):
    advice, draft = _advice_for_pdf(request.user, pk)
    case = advice.case
    audit.record(actor=request.user, action="case.advice_pdf", obj=case, details={"draft": draft})
    content = pdf.render_pdf(
        "casereviews/pdf/advice.html",
        {
            "case": case,
            "advice": advice,
            "draft": draft,
            "recipient": case.organization,
            "recipient_name": permissions.submitter_label(request.user, case),
            "hidden_name": "" if permissions.sees_submitter(request.user, case) else case.organization,
            "issued": wareki(advice.issued_at) if advice.issued_at else "",
            "generated": wareki(timezone.localdate()),
        },
    )
    if not draft:
        return http.download(content, http.PDF, f"advice-{case.reference}.pdf")
    response = http.download(content, http.PDF, f"advice-{case.reference}-draft.pdf")
    response["Content-Disposition"] = streaming.content_disposition(f"advice-{case.reference}-下書き.pdf")
    return response


# --- meetings ------------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    permissions.require_meeting_reader(request.user)
    return render(
        request,
        "casereviews/meeting_list.html",
        {
            "meetings": selectors.meetings_for(request.user),
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def meeting_generate(request):
    require_coordinator(request.user)
    form = GenerateMeetingsForm(request.POST or None, initial={"fiscal_year": fiscal_year_of() + 1})
    if request.method == "POST" and form.is_valid():
        created = services.meetings_generate(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(n)d meetings were created.") % {"n": len(created)})
        return redirect("casereviews:meeting_list")
    return render(request, "casereviews/meeting_generate.html", {"form": form})


@login_required
def meeting_detail(request, pk):
    meeting = permissions.get_meeting_for(request.user, pk)
    audit.record(actor=request.user, action="meeting.view", obj=meeting)
    return render(
        request,
        "casereviews/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": selectors.agenda(meeting, request.user),
            "panel": meeting.panel.select_related("expert"),
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def meeting_edit(request, pk):
    import datetime as dt

    meeting = permissions.get_meeting_for_coordinator(request.user, pk)
    local = timezone.localtime(meeting.starts_at)
    form = MeetingForm(
        request.POST or None,
        experts=selectors.panel_experts(),
        initial={
            "date": local.date(),
            "start_time": local.time(),
            "venue": meeting.venue,
            "online_url": meeting.online_url,
            "capacity": meeting.capacity,
            "panel": list(meeting.panel.values_list("pk", flat=True)),
            "version": meeting.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["date"], data["start_time"]))
        try:
            services.meeting_update(
                actor=request.user,
                meeting=meeting,
                based_on_version=data["version"],
                starts_at=starts_at,
                venue=data["venue"],
                online_url=data["online_url"],
                capacity=data["capacity"],
                panel=list(data["panel"]),
            )
            messages.success(
                request, _("The meeting was saved; the panel and attending municipalities were told.")
            )
            return redirect("casereviews:meeting_detail", meeting.pk)
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this meeting in the meantime. Your input is kept; check it "
                    "against the current meeting and save again."
                ),
            )
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "casereviews/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@require_GET
def meeting_ics(request, pk):
    meeting = permissions.get_meeting_for(request.user, pk)
    return http.download(
        build_ics(services.meeting_event(meeting), method="PUBLISH"),
        http.ICS,
        f"case-review-{meeting.pk}.ics",
    )


@login_required
@require_GET
def statistics(request):
    require_coordinator(request.user)
    try:
        fy = int(request.GET.get("fiscal_year", fiscal_year_of()))
    except ValueError as exc:
        raise Http404 from exc
    sheets = [(title, ["区分", "件数"], rows) for title, rows in selectors.statistics_rows(fy).items()]
    audit.record(actor=request.user, action="case.statistics", details={"fiscal_year": fy})
    return spreadsheets.xlsx_response(sheets, f"case-statistics-{fy}.xlsx")


# --- conflicts of interest and blind review ---------------------------------------------------------------


@login_required
def conflict_list(request):
    """Conflicts of interest: an expert declares theirs and sees their own; coordinators record
    them for any expert and see all."""
    permissions.require_conflict_reader(request.user)
    coordinator = is_coordinator(request.user)
    form = ConflictForm(
        request.POST or None,
        experts=selectors.all_experts() if coordinator else None,
        municipalities=selectors.municipalities(),
        cases=selectors.cases_visible_to(request.user),
        initial={"case_reference": request.GET.get("case", "")[:20]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_declare(
                actor=request.user,
                expert=data.get("expert") or request.user,
                reason=data["reason"],
                organization=data["organization"],
                case=data["case"],
            )
            messages.success(
                request,
                _("The conflict of interest was recorded; access to the cases concerned has ended."),
            )
            return redirect("casereviews:conflict_list")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, exc)
    elif request.method == "POST":
        messages.error(
            request, _("Please correct the marked fields. Nothing was saved yet; your input is kept.")
        )
    page = Paginator(selectors.conflicts_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "casereviews/conflict_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(c, permissions.can_end_conflict(request.user, c)) for c in page],
            "is_coordinator": coordinator,
        },
    )


@login_required
@require_POST
def conflict_confirm(request, pk):
    conflict = permissions.get_conflict_for(request.user, pk)
    require_coordinator(request.user)
    try:
        services.conflict_confirm(actor=request.user, conflict=conflict)
        messages.success(
            request,
            _("The conflict of interest was confirmed; it now covers the municipality's blind cases too."),
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("casereviews:conflict_list")


@login_required
@require_POST
def conflict_end(request, pk):
    permissions.require_conflict_reader(request.user)
    conflict = permissions.get_conflict_for(request.user, pk)
    try:
        services.conflict_end(actor=request.user, conflict=conflict)
        messages.success(request, _("The conflict of interest was ended. It stays in the history."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("casereviews:conflict_list")


@login_required
def blind_review_default(request):
    """A municipality's administrators choose whether its new cases start under blind review."""
    organization = getattr(request, "organization", None)
    if not permissions.can_set_blind_default(request.user, organization):
        raise PermissionDenied
    form = BlindReviewDefaultForm(
        request.POST or None, initial={"blind": selectors.blind_review_default(organization)}
    )
    if request.method == "POST" and form.is_valid():
        services.blind_review_default_set(
            actor=request.user, organization=organization, blind=form.cleaned_data["blind"]
        )
        messages.success(request, _("The default for new cases was saved."))
        return redirect("casereviews:blind_review_default")
    return render(
        request, "casereviews/blind_review_default.html", {"form": form, "organization": organization}
    )
