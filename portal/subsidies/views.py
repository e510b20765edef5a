"""Thin views of the start-up subsidy (立ち上げ支援補助)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.permissions import is_coordinator
from portal.core import audit, http, pdf, spreadsheets, uploads
from portal.core.calendars import CalendarEvent, build_ics
from portal.core.dates import fiscal_year_label, wareki
from portal.core.forms import rebase

from . import permissions, selectors, services
from .forms import (
    ApplicationFilterForm,
    CallEditForm,
    CallForm,
    ChangeDecisionForm,
    ChangeForm,
    DecisionForm,
    DocumentForm,
    FinalizeForm,
    PlanForm,
    ReportForm,
    ReturnForm,
    SubmitForm,
    expense_formset,
    lines_from,
)
from .models import Application, ChangeRequest, Document

STALE = _(
    "Someone else saved this in the meantime. Your input is kept below; the saved version is shown "
    "beside it. Check both, then save again."
)
KEPT = _("Please correct the marked fields. Nothing was saved yet; your input is kept.")


def _errors(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


# --- calls -------------------------------------------------------------------------------------


@login_required
def call_list(request):
    calls = list(permissions.visible_calls(request.user))
    org = permissions.active_municipality(request)
    mine = {}
    used: list[int] = []
    if org is not None:
        mine = {a.call_id: a for a in permissions.visible_applications(request.user).filter(organization=org)}
        used = services.years_used(org)
    for c in calls:
        c.mine = mine.get(c.pk)
    return render(
        request,
        "subsidies/call_list.html",
        {
            "calls": calls,
            "mine": mine,
            "organization": org,
            "years_used": [fiscal_year_label(y) for y in used],
            "limit_reached": len(used) >= services.YEAR_LIMIT if org else False,
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def call_create(request):
    permissions.require_coordinator(request.user)
    form = CallForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                call = services.call_create(actor=request.user, **data)
            except ValidationError as exc:
                form.add_error("fiscal_year", exc)
            else:
                messages.success(
                    request,
                    _("The call for %(year)s was created. Open it when it is ready.") % {"year": call.label},
                )
                return redirect("subsidies:call_detail", call.pk)
        messages.error(request, KEPT)
    return render(request, "subsidies/call_form.html", {"form": form})


@login_required
def call_edit(request, pk):
    call = permissions.get_call_for_coordinator(request.user, pk)
    form = CallEditForm(request.POST or None, initial=CallEditForm.initial_from(call))
    current = None
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.call_update(actor=request.user, call=call, based_on_version=version, **data)
            except services.StaleEdit as exc:
                messages.error(request, STALE)
                current = exc.current
                rebase(form, exc.current.version)
            else:
                messages.success(request, _("Saved."))
                return redirect("subsidies:call_detail", call.pk)
        else:
            messages.error(request, KEPT)
    return render(request, "subsidies/call_edit.html", {"form": form, "call": call, "current": current})


@login_required
def call_open(request, pk):
    call = permissions.get_call_for_coordinator(request.user, pk)
    if request.method == "POST":
        try:
            services.call_open(actor=request.user, call=call)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The call is open. Every municipality has been told."))
        return redirect("subsidies:call_detail", call.pk)
    return render(request, "subsidies/call_open.html", {"call": call})


@login_required
def call_detail(request, pk):
    call = permissions.get_call_for(request.user, pk)
    context = {"call": call, "is_coordinator": is_coordinator(request.user)}
    if context["is_coordinator"]:
        applications = list(selectors.call_applications(call))
        years = selectors.years_by_organization(a.organization_id for a in applications)
        for a in applications:
            a.years = [fiscal_year_label(y) for y in years.get(a.organization_id, [])]
            a.share = services.subsidised_share(call, a.planned_total or 0)
        context.update(applications=applications, summary=selectors.call_summary(call))
        audit.record(actor=request.user, action="subsidy_call.read", obj=call)
    else:
        org = permissions.active_municipality(request)
        context["mine"] = (
            permissions.visible_applications(request.user).filter(call=call, organization=org).first()
            if org
            else None
        )
        context["organization"] = org
        used = services.years_used(org, exclude_call=call) if org else []
        context["years_used"] = [fiscal_year_label(y) for y in used]
        context["limit_reached"] = len(used) >= services.YEAR_LIMIT
        context["accepts"] = call.accepts_applications()
    return render(request, "subsidies/call_detail.html", context)


@login_required
def call_export(request, pk):
    call = permissions.get_call_for_coordinator(request.user, pk)
    applications = selectors.call_applications(call)
    years = selectors.years_by_organization(call.applications.values_list("organization_id", flat=True))
    header = [
        "区市町村",
        "状況",
        "補助年次",
        "補助を受けた年度",
        "事業",
        "計画額（円）",
        "補助対象額（円）",
        "交付決定番号",
        "交付決定額（円）",
        "実績額（円）",
        "確定額（円）",
    ]

    def rows():
        for a in applications.iterator(chunk_size=2000):
            yield [
                a.organization.name,
                a.get_status_display(),
                a.year_number or "",
                "・".join(fiscal_year_label(y) for y in years.get(a.organization_id, [])),
                a.project_name,
                a.planned_total or 0,
                services.subsidised_share(call, a.planned_total or 0),
                a.number,
                a.granted_amount or "",
                a.actual_total if a.actual_total is not None else "",
                a.final_amount if a.final_amount is not None else "",
            ]

    summary = selectors.call_summary(call)
    totals = [
        ["予算額（円）", call.budget],
        ["交付決定額の合計（円）", summary["granted"]],
        ["予算残額（円）", summary["remaining"]],
        ["確定額の合計（円）", summary["final"]],
        *[[f"{label}（件）", n] for label, n in summary["by_status"]],
    ]
    audit.record(actor=request.user, action="subsidy_call.export", obj=call)
    return spreadsheets.xlsx_response(
        [("申請一覧", header, rows()), ("予算", ["項目", "値"], totals)], f"subsidy-{call.fiscal_year}.xlsx"
    )


@login_required
def call_ics(request, pk):
    """The dates the call promises: the closing time and the report deadline."""
    call = permissions.get_call_for(request.user, pk)
    close = call.closes_at
    due = timezone.make_aware(dt.datetime.combine(call.report_due, dt.time(17, 0)))
    events = [
        CalendarEvent(
            uid=f"subsidy-call-{call.pk}-close@portal",
            start=close - dt.timedelta(minutes=30),
            end=close,
            summary=f"{call.label} 立ち上げ支援補助 申請締切（17:00）",
            sequence=call.version,
        ),
        CalendarEvent(
            uid=f"subsidy-call-{call.pk}-report@portal",
            start=due - dt.timedelta(minutes=30),
            end=due,
            summary=f"{call.label} 立ち上げ支援補助 実績報告期限",
            sequence=call.version,
        ),
    ]
    return http.download(build_ics(*events, method="PUBLISH"), http.ICS, f"subsidy-{call.fiscal_year}.ics")


@login_required
@require_POST
def application_start(request, pk):
    call = permissions.get_call_for(request.user, pk)
    org = permissions.require_municipality(request)
    try:
        application = services.application_start(actor=request.user, call=call, organization=org)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("subsidies:call_detail", call.pk)
    return redirect("subsidies:application_edit", application.pk)


# --- applications ------------------------------------------------------------------------------


@login_required
def application_list(request):
    permissions.require_reader(request.user)
    years = sorted({c.fiscal_year for c in permissions.visible_calls(request.user)}, reverse=True)
    form = ApplicationFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = list(
        selectors.applications_for_list(
            request.user, fiscal_year=filters.get("fiscal_year"), status=filters.get("status", "")
        )
    )
    years_of = selectors.years_by_organization({a.organization_id for a in applications})
    for a in applications:
        a.years = [fiscal_year_label(y) for y in years_of.get(a.organization_id, [])]
    return render(
        request,
        "subsidies/application_list.html",
        {"applications": applications, "form": form, "is_coordinator": is_coordinator(request.user)},
    )


def _detail_context(request, application):
    application = selectors.application_with_lines(application)
    lines = list(application.lines.all())
    planned = sum(x.planned for x in lines)
    actual = sum(x.actual or 0 for x in lines)
    documents = services.latest_documents(application)
    return {
        "application": application,
        "document_rows": [(r, documents.get(r)) for r in application.call.required_documents],
        "lines": lines,
        "planned_total": planned,
        "share": services.subsidised_share(application.call, planned),
        "actual_total": actual,
        "report_documents": services.latest_documents(application, Document.Stage.REPORT),
        "all_documents": list(application.documents.select_related("uploaded_by")),
        "rounds": selectors.comments_by_round(application),
        "revisions": list(application.revisions.select_related("submitted_by")),
        "changes": list(application.changes.select_related("requested_by")),
        "is_applicant": permissions.is_applicant(request.user, application),
        "is_coordinator": is_coordinator(request.user),
        "years_used": [fiscal_year_label(y) for y in services.years_used(application.organization)],
    }


@login_required
def application_detail(request, pk):
    application = permissions.get_application_for(request.user, pk)
    context = _detail_context(request, application)
    if context["is_coordinator"]:
        report = application.status == Application.Status.REPORTED
        context["return_form"] = ReturnForm(report=report)
        context["change_form"] = ChangeDecisionForm()
        context["proposed_final"] = services.proposed_final_amount(context["application"])
    audit.record(actor=request.user, action="subsidy_application.read", obj=application)
    return render(request, "subsidies/application_detail.html", context)


def _conflict_rows(form, current: Application) -> list[dict]:
    rows = []
    for name in services.PLAN_FIELDS:
        theirs = getattr(current, name)
        mine = form[name].value()
        if str(theirs or "") != str(mine or ""):
            rows.append({"label": form.fields[name].label, "theirs": theirs})
    return rows


@login_required
def application_edit(request, pk):
    application = permissions.get_application_for_applicant(request.user, pk)
    if not application.is_editable:
        messages.info(
            request,
            _("The application has been submitted. The secretariat can return it to you for correction."),
        )
        return redirect("subsidies:application_detail", application.pk)
    conflict, conflict_rows, conflict_lines = None, [], []
    if request.method == "POST":
        form = PlanForm(request.POST, call=application.call)
        formset = expense_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                services.application_save(
                    actor=request.user,
                    application=application,
                    based_on_version=form.cleaned_data["version"],
                    plan=form.plan_data(),
                    lines=lines_from(formset),
                )
            except services.StaleEdit as exc:
                messages.error(request, STALE)
                conflict = exc.current
                rebase(form, conflict.version)
                conflict_rows = _conflict_rows(form, conflict)
                conflict_lines = list(conflict.lines.all())
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("The draft was saved."))
                if request.POST.get("action") == "submit":
                    return redirect("subsidies:application_submit", application.pk)
                return redirect("subsidies:application_edit", application.pk)
        else:
            messages.error(request, KEPT)
    else:
        form = PlanForm(
            call=application.call,
            initial={
                "version": application.version,
                **{f: getattr(application, f) for f in services.PLAN_FIELDS},
            },
        )
        formset = expense_formset(application=application)
    context = _detail_context(request, application)
    context.update(
        form=form,
        formset=formset,
        document_form=DocumentForm(requirements=application.call.required_documents),
        conflict=conflict,
        conflict_rows=conflict_rows,
        conflict_lines=conflict_lines,
        latest_rounds=context["rounds"][:1],
    )
    return render(request, "subsidies/application_edit.html", context)


@login_required
@require_POST
def document_upload(request, pk):
    application = permissions.get_application_for_applicant(request.user, pk)
    stage = Document.Stage.REPORT if request.POST.get("stage") == "report" else Document.Stage.APPLICATION
    requirements = (
        application.call.required_documents
        if stage == Document.Stage.APPLICATION
        else [_("Performance report documents")]
    )
    form = DocumentForm(request.POST, request.FILES, requirements=requirements)
    back = "subsidies:report_edit" if stage == Document.Stage.REPORT else "subsidies:application_edit"
    if form.is_valid():
        try:
            doc = services.document_upload(
                actor=request.user,
                application=application,
                requirement=form.cleaned_data["requirement"],
                upload=form.cleaned_data["file"],
                stage=stage,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("“%(document)s” was uploaded (version %(n)s).")
                % {"document": doc.requirement, "n": doc.number},
            )
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
    return redirect(back, application.pk)


@login_required
def document_download(request, pk, document_pk):
    application = permissions.get_application_for(request.user, pk)
    try:
        doc = application.documents.get(pk=document_pk)
    except (Document.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    audit.record(
        actor=request.user, action="subsidy_document.download", obj=application, details={"document": doc.pk}
    )
    return uploads.serve(doc.file, filename=doc.original_name, content_type=doc.content_type)


@login_required
def application_submit(request, pk):
    """The confirmation page of a submission: what is sent, the declaration, then submit."""
    application = permissions.get_application_for_applicant(request.user, pk)
    if not application.is_editable:
        return redirect("subsidies:application_detail", application.pk)
    form = SubmitForm(request.POST or None, initial={"version": application.version})
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_submit(
                    actor=request.user,
                    application=application,
                    based_on_version=form.cleaned_data["version"],
                    declared=form.cleaned_data["declaration"],
                )
            except services.StaleEdit:
                messages.error(
                    request,
                    _(
                        "Someone else changed the application in the meantime. "
                        "Please check it again before you submit."
                    ),
                )
                return redirect("subsidies:application_edit", application.pk)
            except services.Incomplete as exc:
                problems = exc.problems
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("The application was submitted to the secretariat."))
                return redirect("subsidies:application_detail", application.pk)
    else:
        problems = services.missing_for_submission(application)
    context = _detail_context(request, application)
    context.update(form=form, problems=problems)
    return render(request, "subsidies/application_submit.html", context)


@login_required
@require_POST
def application_return(request, pk):
    application = permissions.get_application_for_coordinator(request.user, pk)
    form = ReturnForm(request.POST, report=application.status == Application.Status.REPORTED)
    if form.is_valid():
        try:
            services.application_return(
                actor=request.user, application=application, comments=form.cleaned_data
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Returned to the municipality with your comments."))
            return redirect("subsidies:application_detail", application.pk)
    else:
        context = _detail_context(request, application)
        context.update(return_form=form, change_form=ChangeDecisionForm(), proposed_final=0)
        messages.error(request, KEPT)
        return render(request, "subsidies/application_detail.html", context)
    return redirect("subsidies:application_detail", application.pk)


@login_required
def application_decide(request, pk):
    """The grant decision: the form, then a confirmation page, then the decision."""
    application = permissions.get_application_for_coordinator(request.user, pk)
    if application.status != Application.Status.SUBMITTED:
        messages.info(request, _("This application is not awaiting a decision."))
        return redirect("subsidies:application_detail", application.pk)
    form = DecisionForm(request.POST or None)
    confirm = False
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("confirmed") == "yes":
                try:
                    services.application_decide(
                        actor=request.user,
                        application=application,
                        grant=data["decision"] == "grant",
                        amount=data.get("amount"),
                        conditions=data.get("conditions", ""),
                    )
                except ValidationError as exc:
                    form.add_error("amount" if data["decision"] == "grant" else None, exc)
                    messages.error(request, KEPT)
                else:
                    messages.success(request, _("The decision was made and the municipality was told."))
                    return redirect("subsidies:application_detail", application.pk)
            else:
                confirm = True
        else:
            messages.error(request, KEPT)
    context = _detail_context(request, application)
    context.update(
        form=form,
        confirm=confirm,
        remaining=application.call.budget - services.budget_granted(application.call),
    )
    return render(request, "subsidies/application_decide.html", context)


@login_required
def decision_pdf(request, pk):
    """交付決定通知書: generated from the decision, tagged, Japanese, numbered."""
    application = permissions.get_application_for(request.user, pk)
    if not application.is_granted:
        raise Http404
    application = selectors.application_with_lines(application)
    audit.record(actor=request.user, action="subsidy_application.decision_pdf", obj=application)
    content = pdf.render_pdf(
        "subsidies/pdf/decision.html",
        {
            "application": application,
            "lines": list(application.lines.all()),
            "decided": wareki(application.decided_at),
            "changes": list(application.changes.filter(status=ChangeRequest.Status.APPROVED)),
        },
    )
    return http.download(
        content, http.PDF, f"grant-decision-{application.call.fiscal_year}-{application.pk}.pdf"
    )


# --- change requests ---------------------------------------------------------------------------


@login_required
def change_create(request, pk):
    application = permissions.get_application_for_applicant(request.user, pk)
    form = ChangeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_request(actor=request.user, application=application, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
                messages.error(request, KEPT)
            else:
                messages.success(request, _("The change request was sent to the secretariat."))
                return redirect("subsidies:application_detail", application.pk)
        else:
            messages.error(request, KEPT)
    return render(request, "subsidies/change_form.html", {"form": form, "application": application})


@login_required
@require_POST
def change_decide(request, pk):
    change = permissions.get_change_for_coordinator(request.user, pk)
    form = ChangeDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.change_decide(
                actor=request.user,
                change=change,
                approve=form.cleaned_data["approve"] == "yes",
                response=form.cleaned_data["response"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The change request was decided and the municipality was told."))
    else:
        messages.error(request, _("Please choose whether to approve the change."))
    return redirect("subsidies:application_detail", change.application_id)


# --- performance report ------------------------------------------------------------------------


@login_required
def report_edit(request, pk):
    application = permissions.get_application_for_applicant(request.user, pk)
    if not application.report_editable:
        messages.info(request, _("The performance report cannot be changed now."))
        return redirect("subsidies:application_detail", application.pk)
    lines = list(application.lines.all())
    current = None
    if request.method == "POST":
        form = ReportForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                services.report_save(
                    actor=request.user,
                    application=application,
                    based_on_version=form.cleaned_data["version"],
                    summary=form.cleaned_data["summary"],
                    actuals=form.actuals(),
                )
            except services.StaleEdit as exc:
                messages.error(request, STALE)
                current = exc.current
                rebase(form, current.version)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("The performance report was saved."))
                if request.POST.get("action") == "submit":
                    return redirect("subsidies:report_submit", application.pk)
                return redirect("subsidies:report_edit", application.pk)
        else:
            messages.error(request, KEPT)
    else:
        form = ReportForm(initial=ReportForm.initial_from(application, lines), lines=lines)
    context = _detail_context(request, application)
    context.update(
        form=form,
        current=current,
        current_lines=list(current.lines.all()) if current else [],
        document_form=DocumentForm(requirements=[_("Performance report documents")]),
    )
    return render(request, "subsidies/report_edit.html", context)


@login_required
def report_submit(request, pk):
    application = permissions.get_application_for_applicant(request.user, pk)
    if not application.report_editable:
        return redirect("subsidies:application_detail", application.pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.report_submit(
                actor=request.user,
                application=application,
                based_on_version=int(request.POST.get("version", 0)),
            )
        except services.StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else changed the report in the meantime. "
                    "Please check it again before you submit."
                ),
            )
            return redirect("subsidies:report_edit", application.pk)
        except services.Incomplete as exc:
            problems = exc.problems
        except (ValidationError, ValueError) as exc:
            problems = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, _("The performance report was submitted to the secretariat."))
            return redirect("subsidies:application_detail", application.pk)
    context = _detail_context(request, application)
    context["problems"] = problems
    return render(request, "subsidies/report_submit.html", context)


@login_required
def application_finalize(request, pk):
    """The confirmed final amount: the form, a confirmation page, then the confirmation."""
    application = permissions.get_application_for_coordinator(request.user, pk)
    if application.status != Application.Status.REPORTED:
        messages.info(request, _("The amount is confirmed after the performance report is submitted."))
        return redirect("subsidies:application_detail", application.pk)
    context = _detail_context(request, application)
    proposed = services.proposed_final_amount(context["application"])
    form = FinalizeForm(request.POST or None, initial={"final_amount": proposed})
    confirm = False
    if request.method == "POST":
        if form.is_valid():
            if request.POST.get("confirmed") == "yes":
                try:
                    services.application_finalize(
                        actor=request.user,
                        application=application,
                        final_amount=form.cleaned_data["final_amount"],
                    )
                except ValidationError as exc:
                    form.add_error("final_amount", exc)
                    messages.error(request, KEPT)
                else:
                    messages.success(
                        request, _("The final amount was confirmed and the municipality was told.")
                    )
                    return redirect("subsidies:application_detail", application.pk)
            else:
                confirm = True
        else:
            messages.error(request, KEPT)
    context.update(form=form, confirm=confirm, proposed=proposed)
    return render(request, "subsidies/application_finalize.html", context)
