"""Thin views of the network-building programme."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.permissions import is_coordinator
from portal.core import audit, confirm, http, pdf, spreadsheets, uploads
from portal.core.calendars import build_ics
from portal.core.dates import wareki
from portal.core.forms import rebase

from . import permissions, selectors, services
from .filters import HearingSheetFilter
from .forms import (
    ActionForm,
    AddParticipantsForm,
    ApplyForm,
    HearingSheetForm,
    NoteForm,
    ProgrammeEditForm,
    ProgrammeForm,
    QuestionForm,
    RecordForm,
    ReturnForm,
    SectionForm,
    SessionForm,
    field_name,
)
from .models import Question


def _errors(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _stale_message(request):
    messages.error(
        request,
        _(
            "Someone else saved this in the meantime. Your input is kept below; the saved version is shown "
            "beside it. Check both, then save again."
        ),
    )


# --- programmes ----------------------------------------------------------------------------------


@login_required
def programme_list(request):
    permissions.require_programme_reader(request.user)
    if is_coordinator(request.user):
        return render(
            request, "municipalities/programme_list.html", {"programmes": selectors.programmes_for_list()}
        )
    org = permissions.require_municipality(request)
    return render(
        request,
        "municipalities/programme_list_municipal.html",
        {"programmes": selectors.open_programmes_for(org), "organization": org},
    )


@login_required
def programme_create(request):
    permissions.require_coordinator(request.user)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme for %(year)s was opened.") % {"year": programme.label})
            return redirect("municipalities:programme_detail", programme.pk)
    return render(request, "municipalities/programme_form.html", {"form": form})


@login_required
def programme_detail(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    return render(
        request,
        "municipalities/programme_detail.html",
        {
            "programme": programme,
            "participations": selectors.participations_of(request.user, programme),
            "add_form": AddParticipantsForm(programme=programme),
        },
    )


@login_required
def programme_edit(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    initial = {
        "fiscal_year": programme.fiscal_year,
        "target_count": programme.target_count,
        "hearing_deadline": programme.hearing_deadline,
        "accepts_applications": programme.accepts_applications,
        "version": programme.version,
    }
    form = ProgrammeEditForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.programme_update(
                actor=request.user,
                programme=programme,
                based_on_version=data["version"],
                hearing_deadline=data["hearing_deadline"],
                target_count=data["target_count"],
                accepts_applications=data["accepts_applications"],
            )
        except services.StaleEdit as exc:
            _stale_message(request)
            current = exc.current
            rebase(form, exc.current.version)
        else:
            messages.success(request, _("Saved."))
            return redirect("municipalities:programme_detail", programme.pk)
    return render(
        request,
        "municipalities/programme_edit.html",
        {"form": form, "programme": programme, "current": current},
    )


@login_required
@require_POST
def participants_add(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    form = AddParticipantsForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            added = services.participation_add(
                actor=request.user, programme=programme, organizations=form.cleaned_data["organizations"]
            )
            messages.success(
                request,
                _("%(n)d municipalities added and asked for their hearing sheet.") % {"n": len(added)},
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Choose at least one municipality."))
    return redirect("municipalities:programme_detail", programme.pk)


@login_required
@require_POST
def participation_decide(request, pk, accept):
    participation = permissions.get_participation_for_coordinator(request.user, pk)
    try:
        services.participation_decide(actor=request.user, participation=participation, accept=accept)
        messages.success(
            request, _("The application was accepted.") if accept else _("The application was declined.")
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("municipalities:programme_detail", participation.programme_id)


@login_required
def programme_apply(request, pk):
    programme = permissions.get_programme_for_reader(request.user, pk)
    organization = permissions.require_municipality(request)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_apply(
                actor=request.user,
                programme=programme,
                organization=organization,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your application was sent to the secretariat."))
            return redirect("municipalities:programme_list")
    return render(
        request,
        "municipalities/programme_apply.html",
        {"form": form, "programme": programme, "organization": organization},
    )


@login_required
def programme_board(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    return render(
        request,
        "municipalities/programme_board.html",
        {"programme": programme, "rows": selectors.progress_board(programme), "today": timezone.localdate()},
    )


@login_required
@require_GET
def programme_export(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    questions = [q for q in selectors.questions_of(programme) if q.kind != Question.Kind.FILE]
    header = ["地方公共団体コード", "区市町村", "状態", "提出日時"] + [q.label for q in questions]

    def rows():
        for sheet, answers in selectors.sheets_with_answers(programme):
            values = (answers.get(q.key, "") for q in questions)
            yield [
                sheet.organization.code,
                sheet.organization.name,
                sheet.get_status_display(),
                spreadsheets.iso(sheet.submitted_at),
                *("、".join(map(str, v)) if isinstance(v, list) else v for v in values),
            ]

    audit.record(actor=request.user, action="programme.export", obj=programme)
    return spreadsheets.xlsx_response(
        [(f"{programme.label}", header, rows())], f"hearing-sheets-{programme.fiscal_year}.xlsx"
    )


# --- questions -----------------------------------------------------------------------------------


@login_required
def question_list(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    return render(
        request,
        "municipalities/question_list.html",
        {"programme": programme, "sections": programme.sections.prefetch_related("questions")},
    )


def _frozen(request, programme):
    messages.error(
        request,
        _(
            "A hearing sheet of this year has been submitted, so its questions can no longer change. "
            "Change them in next year's programme."
        ),
    )
    return redirect("municipalities:question_list", programme.pk)


@login_required
def section_create(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    form = SectionForm(request.POST or None, initial={"order": programme.sections.count() + 1})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(actor=request.user, programme=programme, section=None, **form.cleaned_data)
        except services.QuestionsFrozen:
            return _frozen(request, programme)
        return redirect("municipalities:question_list", programme.pk)
    return render(request, "municipalities/section_form.html", {"form": form, "programme": programme})


def _question_form_view(request, programme, question):
    form = QuestionForm(request.POST or None, instance=question, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in (
                "section",
                "order",
                "key",
                "label",
                "help_text",
                "kind",
                "required",
                "prefill",
                "choices",
            )
        }
        try:
            services.question_save(actor=request.user, programme=programme, question=question, **data)
        except services.QuestionsFrozen:
            return _frozen(request, programme)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("municipalities:question_list", programme.pk)
    return render(
        request,
        "municipalities/question_form.html",
        {"form": form, "programme": programme, "question": question},
    )


@login_required
def question_create(request, pk):
    programme = permissions.get_programme_for_coordinator(request.user, pk)
    return _question_form_view(request, programme, None)


@login_required
def question_edit(request, pk):
    question = permissions.get_question_for_coordinator(request.user, pk)
    return _question_form_view(request, question.programme, question)


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request, pk):
    question = permissions.get_question_for_coordinator(request.user, pk)
    if request.method == "GET":
        return confirm.page(
            request,
            title=_("Delete this question?"),
            facts=[(_("Question"), question.label), (_("Programme"), question.programme)],
            consequences=[
                _("The question is removed from this year's hearing sheet."),
                _("A deleted question cannot be restored; it can be added again as a new question."),
            ],
            button=_("Delete the question"),
            back=reverse("municipalities:question_list", args=[question.programme_id]),
        )
    try:
        services.question_delete(actor=request.user, question=question)
    except services.QuestionsFrozen:
        return _frozen(request, question.programme)
    messages.success(request, _("The question was deleted."))
    return redirect("municipalities:question_list", question.programme_id)


# --- hearing sheets ------------------------------------------------------------------------------


@login_required
def sheet_list(request):
    permissions.require_programme_reader(request.user)
    filterset = HearingSheetFilter(request.GET, queryset=selectors.sheets_visible_to(request.user))
    page = Paginator(selectors.sheet_list_rows(filterset.qs), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "municipalities/sheet_list.html",
        {"filter": filterset, "page": page, "is_coordinator": is_coordinator(request.user)},
    )


def _sheet_context(request, sheet):
    answers, sections = selectors.answers_of(sheet)
    coordinator = is_coordinator(request.user)
    return {
        "sheet": sheet,
        "answers": answers,
        "sections": sections,
        "files": selectors.sheet_files(sheet),
        "comments": [c for c in sheet.comments.select_related("author") if coordinator or not c.internal],
        "revisions": sheet.revisions.select_related("submitted_by"),
        "sessions": selectors.sessions_of_sheet(request.user, sheet),
        "is_coordinator": coordinator,
        "can_edit": permissions.can_edit_sheet(request.user, sheet),
        "return_form": ReturnForm(),
        "note_form": NoteForm(),
    }


@login_required
def sheet_detail(request, pk):
    sheet = permissions.get_sheet_for(request.user, pk)
    audit.record(actor=request.user, action="hearing_sheet.view", obj=sheet)
    return render(request, "municipalities/sheet_detail.html", _sheet_context(request, sheet))


@login_required
def sheet_revision(request, pk, number):
    sheet = permissions.get_sheet_for(request.user, pk)
    revision = sheet.revisions.filter(number=number).select_related("submitted_by").first()
    if revision is None:
        raise Http404
    audit.record(
        actor=request.user,
        action="hearing_sheet.revision_view",
        obj=sheet,
        details={"number": revision.number},
    )
    return render(
        request,
        "municipalities/sheet_revision.html",
        {
            "sheet": sheet,
            "revision": revision,
            "answers": revision.answers,
            "sections": revision.questions,
            "files": selectors.sheet_files(sheet),
        },
    )


@login_required
def sheet_edit(request, pk):
    sheet = permissions.get_sheet_for_editor(request.user, pk)
    if not sheet.is_editable:
        messages.info(
            request, _("The sheet has been submitted. The secretariat can return it to you for changes.")
        )
        return redirect("municipalities:sheet_detail", sheet.pk)
    if request.method == "POST" and request.POST.get("action") == "confirm_submit":
        return _sheet_confirm_submit(request, sheet)
    questions = list(selectors.questions_of(sheet.programme))
    conflict = None
    missing: list[str] = []
    if request.method == "POST":
        form = HearingSheetForm(request.POST, request.FILES, questions=questions)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            write = services.sheet_save_for_submission if submit else services.sheet_save
            try:
                saved = write(
                    actor=request.user,
                    sheet=sheet,
                    answers=form.answers(),
                    based_on_version=form.cleaned_data["version"],
                    uploads_=form.uploads(),
                )
                if submit:
                    answers, sections = selectors.answers_of(saved)
                    return render(
                        request,
                        "municipalities/sheet_submit_confirm.html",
                        {
                            "sheet": saved,
                            "answers": answers,
                            "sections": sections,
                            "files": selectors.sheet_files(saved),
                        },
                    )
                messages.success(request, _("The draft was saved."))
                return redirect("municipalities:sheet_edit", sheet.pk)
            except services.StaleEdit as exc:
                _stale_message(request)
                conflict = exc.current
                rebase(form, exc.current.version)
            except services.MissingAnswers as exc:
                missing = exc.keys
                sheet.refresh_from_db()
                rebase(form, sheet.version)
                for key in exc.keys:
                    form.add_error(field_name(key), _("This answer is needed to submit the sheet."))
                messages.error(
                    request, _("The draft was saved, but some answers needed for submission are missing.")
                )
            except ValidationError as exc:
                # A rejected upload (type, size): nothing was saved, the typed answers stay in the form.
                for key, _upload in form.uploads():
                    form.add_error(field_name(key), exc)
                if not form.uploads():
                    _errors(request, exc)
                messages.error(
                    request, _("Nothing was saved yet; your input is kept. Please check the marked fields.")
                )
        else:
            messages.error(
                request, _("Please correct the marked answers. Nothing was saved yet; your input is kept.")
            )
    else:
        audit.record(actor=request.user, action="hearing_sheet.edit_view", obj=sheet)
        form = HearingSheetForm(initial=HearingSheetForm.initial_from(sheet, questions), questions=questions)
    conflict_rows = []
    if conflict is not None:
        for q in questions:
            theirs = conflict.answers.get(q.key)
            bound = form[field_name(q.key)].value()
            if q.kind != Question.Kind.FILE and (theirs or bound) and str(theirs or "") != str(bound or ""):
                conflict_rows.append({"label": q.label, "theirs": theirs, "field": field_name(q.key)})
    return render(
        request,
        "municipalities/sheet_edit.html",
        {
            "sheet": sheet,
            "form": form,
            "files": selectors.sheet_files(sheet),
            "conflict": conflict,
            "conflict_rows": conflict_rows,
            "missing": missing,
            "comments": [c for c in sheet.comments.select_related("author") if not c.internal],
        },
    )


def _sheet_confirm_submit(request, sheet):
    """The second step: the person read what submitting does and confirmed; freeze the sheet."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        services.sheet_submit(
            actor=request.user, sheet=sheet, answers=dict(sheet.answers), based_on_version=version
        )
    except services.StaleEdit:
        _stale_message(request)
        return redirect("municipalities:sheet_edit", sheet.pk)
    except services.MissingAnswers:
        messages.error(request, _("Some answers needed for submission are missing."))
        return redirect("municipalities:sheet_edit", sheet.pk)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("municipalities:sheet_edit", sheet.pk)
    messages.success(request, _("The hearing sheet was submitted. Thank you."))
    return redirect("municipalities:sheet_detail", sheet.pk)


@login_required
@require_POST
def sheet_autosave(request, pk):
    """Background save of a draft (static/js/autosave.js). 409 when someone saved in between."""
    sheet = permissions.get_sheet_for_editor(request.user, pk)
    questions = [q for q in selectors.questions_of(sheet.programme) if q.kind != Question.Kind.FILE]
    form = HearingSheetForm(request.POST, questions=questions)
    valid = form.is_valid()
    if "version" not in form.cleaned_data:
        return JsonResponse({"saved": False, "message": _("The draft could not be saved.")}, status=400)
    # What is valid is saved; a field not valid yet keeps its stored answer (and the browser keeps
    # what was typed in it), and the person is told which one and why.
    invalid = [q for q in questions if field_name(q.key) in form.errors]
    try:
        saved = services.sheet_save(
            actor=request.user,
            sheet=sheet,
            answers=form.answers(),
            based_on_version=form.cleaned_data["version"],
            keep=[q.key for q in invalid],
        )
    except services.StaleEdit as exc:
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "version": exc.current.version,
                "message": _('Someone else saved this sheet. Press "Save draft" to compare both versions.'),
            },
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": " ".join(exc.messages)}, status=400)
    time = timezone.localtime().strftime("%H:%M")
    if valid:
        message = _("Draft saved automatically at %(time)s") % {"time": time}
    else:
        problems = "、".join(f"「{q.label}」（{' '.join(form.errors[field_name(q.key)])}）" for q in invalid)
        message = _(
            "Saved automatically at %(time)s, except %(fields)s: that answer is not saved yet. "
            "What you typed stays on the screen; correct it and it will be saved."
        ) % {"time": time, "fields": problems}
    return JsonResponse(
        {
            "saved": True,
            "partial": not valid,
            "version": saved.version,
            "message": message,
            "errors": form.errors.get_json_data() if not valid else {},
        }
    )


@login_required
def sheet_file(request, pk, file_pk):
    sheet = permissions.get_sheet_for(request.user, pk)
    attached = selectors.sheet_file(sheet, file_pk)
    audit.record(actor=request.user, action="hearing_sheet.file_download", obj=sheet)
    return uploads.serve(attached.file, filename=attached.original_name, content_type=attached.content_type)


@login_required
@require_POST
def sheet_file_delete(request, pk, file_pk):
    sheet = permissions.get_sheet_for_editor(request.user, pk)
    attached = selectors.sheet_file(sheet, file_pk)
    try:
        services.sheet_detach(actor=request.user, attached=attached)
        messages.success(request, _("The file was removed."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("municipalities:sheet_edit", sheet.pk)


@login_required
@require_POST
def sheet_return(request, pk):
    sheet = permissions.get_sheet_for_coordinator(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.sheet_return(actor=request.user, sheet=sheet, comment=form.cleaned_data["comment"])
            messages.success(request, _("The sheet was returned to the municipality."))
            return redirect("municipalities:sheet_detail", sheet.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    context = _sheet_context(request, sheet)
    context["return_form"] = form
    return render(request, "municipalities/sheet_detail.html", context, status=400)


@login_required
@require_POST
def sheet_note(request, pk):
    sheet = permissions.get_sheet_for_coordinator(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.sheet_add_note(actor=request.user, sheet=sheet, body=form.cleaned_data["body"])
        messages.success(request, _("The note was added."))
        return redirect("municipalities:sheet_detail", sheet.pk)
    context = _sheet_context(request, sheet)
    context["note_form"] = form
    return render(request, "municipalities/sheet_detail.html", context, status=400)


@login_required
def sheet_compare(request, pk):
    sheet = permissions.get_sheet_for_coordinator(request.user, pk)
    previous = selectors.previous_year_sheet(sheet)
    audit.record(
        actor=request.user,
        action="hearing_sheet.compare",
        obj=sheet,
        details={"previous": previous.pk if previous else None},
    )
    return render(
        request,
        "municipalities/sheet_compare.html",
        {"sheet": sheet, "previous": previous, "rows": selectors.comparison(sheet, previous)},
    )


@login_required
@require_GET
def sheet_pdf(request, pk):
    sheet = permissions.get_sheet_for(request.user, pk)
    answers, sections = selectors.answers_of(sheet)
    content = pdf.render_pdf(
        "municipalities/pdf/sheet.html",
        {
            "sheet": sheet,
            "answers": answers,
            "sections": sections,
            "files": selectors.sheet_files(sheet),
            "generated": wareki(timezone.localdate()),
        },
    )
    audit.record(actor=request.user, action="hearing_sheet.pdf", obj=sheet)
    return http.download(
        content, http.PDF, f"hearing-sheet-{sheet.programme.fiscal_year}-{sheet.organization.code}.pdf"
    )


# --- exchange sessions -----------------------------------------------------------------------------


@login_required
def session_create(request, pk):
    sheet = permissions.get_sheet_for_coordinator(request.user, pk)
    choices = selectors.participant_choices(sheet.organization)
    form = SessionForm(
        request.POST or None, participant_choices=choices, initial={"participants": [u.pk for u in choices]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_schedule(
                actor=request.user,
                sheet=sheet,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                meeting_url=data["meeting_url"],
                participants=data["participants"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The exchange was scheduled and the invitations were sent."))
            return redirect("municipalities:session_detail", session.pk)
    return render(request, "municipalities/session_form.html", {"form": form, "sheet": sheet})


def _render_session(request, session, *, status=200, record_form=None, action_form=None):
    return render(
        request,
        "municipalities/session_detail.html",
        {
            "session": session,
            "participants": session.participants.order_by("display_name"),
            "actions": session.actions.select_related("owner"),
            "is_coordinator": is_coordinator(request.user),
            "record_form": record_form
            or RecordForm(initial={"summary": session.summary, "version": session.version}),
            "action_form": action_form
            or ActionForm(owner_choices=selectors.participant_choices(session.organization)),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def session_detail(request, pk):
    session = permissions.get_session_for(request.user, pk)
    audit.record(actor=request.user, action="exchange.view", obj=session)
    return _render_session(request, session)


@login_required
def session_edit(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    choices = selectors.participant_choices(session.organization)
    local = timezone.localtime(session.starts_at)
    initial = {
        "date": local.date(),
        "start_time": local.time(),
        "end_time": timezone.localtime(session.ends_at).time(),
        "meeting_url": session.meeting_url,
        "participants": list(session.participants.values_list("pk", flat=True)),
        "version": session.version,
    }
    form = SessionForm(request.POST or None, participant_choices=choices, initial=initial)
    if request.method == "GET":
        audit.record(actor=request.user, action="exchange.edit_view", obj=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                actor=request.user,
                session=session,
                based_on_version=data["version"] or 0,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                meeting_url=data["meeting_url"],
                participants=data["participants"],
            )
        except services.StaleEdit as exc:
            _stale_message(request)
            rebase(form, exc.current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The exchange was changed and everyone was sent the update."))
            return redirect("municipalities:session_detail", session.pk)
    return render(
        request,
        "municipalities/session_form.html",
        {"form": form, "sheet": session.sheet, "session": session},
    )


@login_required
@require_POST
def session_cancel(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    try:
        services.session_cancel(actor=request.user, session=session)
        messages.success(request, _("The exchange was cancelled and everyone was told."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("municipalities:session_detail", session.pk)


@login_required
@require_POST
def session_record(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            services.session_record(
                actor=request.user,
                session=session,
                summary=form.cleaned_data["summary"],
                based_on_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The record was saved."))
            return redirect("municipalities:session_detail", session.pk)
        except services.StaleEdit:
            _stale_message(request)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _render_session(request, session, status=400, record_form=form)


@login_required
@require_GET
def session_ics(request, pk):
    session = permissions.get_session_for(request.user, pk)
    audit.record(actor=request.user, action="exchange.ics", obj=session)
    return http.download(
        build_ics(services.session_event(session), method="PUBLISH"), http.ICS, f"exchange-{session.pk}.ics"
    )


@login_required
@require_POST
def action_create(request, pk):
    session = permissions.get_session_for_coordinator(request.user, pk)
    form = ActionForm(request.POST, owner_choices=selectors.participant_choices(session.organization))
    if form.is_valid():
        try:
            services.action_add(actor=request.user, session=session, **form.cleaned_data)
            messages.success(request, _("The follow-up action was added."))
            return redirect("municipalities:session_detail", session.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _render_session(request, session, status=400, action_form=form)


@login_required
@require_POST
def action_done(request, pk):
    action = permissions.get_action_for_completer(request.user, pk)
    services.action_complete(actor=request.user, action=action)
    messages.success(request, _("Marked as done."))
    return redirect("municipalities:session_detail", action.session_id)
