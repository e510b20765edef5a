"""Thin views: the residents' メール相談 pages and the counsellors' inbox, records and statistics.

Resident pages read ``request.resident`` (their own session) and never ``request.user``; staff pages
read ``request.user`` and never ``request.resident``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.core import audit, pii, spreadsheets
from portal.core.dates import fiscal_year_label
from portal.core.exceptions import StaleEdit
from portal.core.paging import uncounted_page

from . import exports, limits, numbers, permissions, selectors, services, sessions
from .forms import (
    AssignForm,
    DraftForm,
    EmailForm,
    LeaveForm,
    NoteForm,
    PasswordPairForm,
    ProfileForm,
    RecordForm,
    RecordSearchForm,
    RegisterForm,
    SignInForm,
    TemplateForm,
    ThreadForm,
    WriteForm,
)
from .models import Method, Thread

TOO_MANY = _("There have been too many attempts. Please wait a while and try again.")
SIGN_IN_FAILED = _(
    "The user number or the password is not right, or signing in is paused for a while after several "
    "attempts. Please check and try again later."
)


def resident_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "resident", None) is None:
            return redirect(f"{reverse('consultations:sign_in')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def _ip(request):
    return audit.client_ip(request)


def _guard(request, form, fields) -> list:
    """The resident's text checked once: what may identify them is shown, and the same form sent
    again goes through as written (a warning, never a block)."""
    if form.cleaned_data.get("acknowledged"):
        return []
    found = pii.scan_fields({name: form.cleaned_data.get(name) or "" for name in fields})
    if not found:
        return []
    data = request.POST.copy()
    data["acknowledged"] = "True"
    form.data = data
    return [(form[name], items) for name, items in found.items()]


# --- public pages -------------------------------------------------------------------------------


@require_GET
def about(request):
    return render(
        request, "consultations/about.html", {"reply_days": services.settings.MAIL_CONSULTATION_REPLY_DAYS}
    )


@require_http_methods(["GET", "POST"])
def register(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limits.rate_limited("register", _ip(request)):
            form.add_error(None, TOO_MANY)
        else:
            services.registration_start(email=form.cleaned_data["email"])
            return render(request, "consultations/register_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "consultations/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_confirm(request, token):
    if not services.token_value("register", token):
        return render(request, "consultations/link_expired.html", status=410)
    form = RegisterForm(request.POST or None)
    findings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("acknowledged"):
            findings = [(form["nickname"], items) for items in [pii.scan(data["nickname"])] if items]
        if not findings:
            resident = services.registration_complete(
                token=token,
                nickname=data["nickname"],
                prefecture=data["prefecture"],
                age_band=data["age_band"],
                withdrawal=data["withdrawal"],
                password=data["password1"],
            )
            sessions.sign_in(request, resident)
            request.resident_session["show_number"] = True
            return redirect("consultations:welcome")
    return render(request, "consultations/register_form.html", {"form": form, "findings": findings})


@require_GET
@resident_required
def welcome(request):
    """The 利用者番号, shown once right after registration."""
    if not request.resident_session.pop("show_number", False):
        return redirect("consultations:my_page")
    number = numbers.shown_user_number(request.resident.user_number)
    return render(request, "consultations/welcome.html", {"number": number})


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.resident is not None:
        return redirect("consultations:my_page")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_authenticate(
                user_number=form.cleaned_data["user_number"],
                password=form.cleaned_data["password"],
                ip=_ip(request),
            )
        except services.SignInRefused:
            form.add_error(None, SIGN_IN_FAILED)
        else:
            sessions.sign_in(request, resident)
            target = request.POST.get("next") or ""
            if not target.startswith(reverse("consultations:my_page")):
                target = reverse("consultations:my_page")
            return redirect(target)
    return render(request, "consultations/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def sign_out(request):
    sessions.sign_out(request)
    messages.info(request, _("You have signed out."))
    return redirect("consultations:about")


@require_http_methods(["GET", "POST"])
def reset(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limits.rate_limited("reset", _ip(request)):
            form.add_error(None, TOO_MANY)
        else:
            services.reset_start(email=form.cleaned_data["email"])
            return render(request, "consultations/reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "consultations/reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_confirm(request, token):
    resident = services.reset_resident(token)
    if resident is None:
        return render(request, "consultations/link_expired.html", status=410)
    form = PasswordPairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = services.reset_complete(token=token, password=form.cleaned_data["password1"])
        sessions.sign_in(request, resident)
        messages.success(request, _("Your new password is set."))
        return redirect("consultations:my_page")
    number = numbers.shown_user_number(resident.user_number)
    return render(request, "consultations/reset_form.html", {"form": form, "number": number})


# --- マイページ ----------------------------------------------------------------------------------


@require_GET
@resident_required
def my_page(request):
    threads = permissions.resident_threads(request.resident).order_by("-last_contact_at", "-pk")
    return render(request, "consultations/my_page.html", {"threads": threads})


@require_http_methods(["GET", "POST"])
@resident_required
def thread_new(request):
    form = ThreadForm(request.POST or None)
    findings = []
    if request.method == "POST" and form.is_valid():
        findings = _guard(request, form, ["subject", "body"])
        if not findings:
            thread = services.thread_create(
                resident=request.resident,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                relation=form.cleaned_data["relation"],
            )
            messages.success(
                request,
                _("Your consultation was sent. We will reply within %(days)s business days.")
                % {"days": services.settings.MAIL_CONSULTATION_REPLY_DAYS},
            )
            return redirect("consultations:my_thread", pk=thread.pk)
    return render(request, "consultations/thread_new.html", {"form": form, "findings": findings})


@require_http_methods(["GET", "POST"])
@resident_required
def my_thread(request, pk):
    thread = permissions.get_resident_thread(request.resident, pk)
    form = WriteForm(request.POST or None)
    findings = []
    if request.method == "POST":
        if thread.status == Thread.Status.CLOSED:
            raise Http404
        if form.is_valid():
            findings = _guard(request, form, ["body"])
            if not findings:
                services.resident_write(
                    resident=request.resident, thread=thread, body=form.cleaned_data["body"]
                )
                messages.success(request, _("Your message was sent."))
                return redirect("consultations:my_thread", pk=thread.pk)
    services.replies_read(resident=request.resident, thread=thread)
    posts = list(thread.messages.all())
    return render(
        request,
        "consultations/my_thread.html",
        {"thread": thread, "posts": posts, "form": form, "findings": findings},
    )


@require_http_methods(["GET", "POST"])
@resident_required
def profile(request):
    r = request.resident
    form = ProfileForm(
        request.POST or None,
        initial={
            "nickname": r.nickname,
            "prefecture": r.prefecture,
            "age_band": r.age_band,
            "withdrawal": r.withdrawal,
        },
        prefix="profile",
    )
    pw_form = PasswordPairForm(prefix="pw")
    if request.method == "POST" and "profile-nickname" in request.POST and form.is_valid():
        services.resident_update(resident=r, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        return redirect("consultations:profile")
    if request.method == "POST" and "pw-password1" in request.POST:
        form = ProfileForm(initial=form.initial, prefix="profile")
        pw_form = PasswordPairForm(request.POST, prefix="pw")
        if pw_form.is_valid():
            services.resident_password_change(resident=r, password=pw_form.cleaned_data["password1"])
            sessions.sign_in(request, r)  # the session follows the new password
            messages.success(request, _("Your new password is set."))
            return redirect("consultations:profile")
    number = numbers.shown_user_number(r.user_number)
    return render(request, "consultations/profile.html", {"form": form, "pw_form": pw_form, "number": number})


@require_http_methods(["GET", "POST"])
@resident_required
def leave(request):
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resident_leave(resident=request.resident)
        sessions.sign_out(request)
        return render(request, "consultations/left.html")
    return render(request, "consultations/leave.html", {"form": form})


# --- the counsellors' inbox ------------------------------------------------------------------------


@require_GET
@login_required
def inbox(request):
    show = request.GET.get("show", "open")
    if show not in ("open", "mine", "closed", "all"):
        show = "open"
    page = uncounted_page(selectors.inbox(request.user, show=show), request.GET.get("page"))
    today = timezone.localdate()
    rows = [(t, services.is_overdue(t, today)) for t in page]
    return render(request, "consultations/inbox.html", {"page": page, "rows": rows, "show": show})


def _thread_context(request, thread, **extra):
    posts, notes = selectors.thread_page(thread)
    people = selectors.counsellors(request.user)
    ctx = {
        "thread": thread,
        "posts": posts,
        "notes": notes,
        "overdue": services.is_overdue(thread),
        "draft_form": DraftForm(
            initial={"body": thread.draft_body, "version": thread.draft_version}, prefix="draft"
        ),
        "note_form": NoteForm(prefix="note"),
        "assign_form": AssignForm(
            people=people, initial={"counsellor": thread.assigned_to_id}, prefix="assign"
        ),
        "templates": permissions.visible_templates(request.user).filter(is_active=True),
        "review_required": services.settings.MAIL_CONSULTATION_REVIEW,
        "can_review": permissions.can_review(request.user) and thread.draft_by_id != request.user.pk,
        "record": getattr(thread, "record", None),
    }
    ctx.update(extra)
    return ctx


@require_GET
@login_required
def thread_detail(request, pk):
    thread = permissions.get_thread_for(request.user, pk)
    services.record_read(actor=request.user, obj=thread, action="consultations.thread.view")
    extra = {}
    template_id = request.GET.get("template")
    if template_id and not thread.draft_body:
        template = permissions.get_template_for(request.user, template_id)
        extra["draft_form"] = DraftForm(
            initial={"body": template.body, "version": thread.draft_version}, prefix="draft"
        )
    return render(request, "consultations/thread_detail.html", _thread_context(request, thread, **extra))


@require_POST
@login_required
def thread_assign(request, pk):
    thread = permissions.get_thread_for(request.user, pk)
    form = AssignForm(request.POST, people=selectors.counsellors(request.user), prefix="assign")
    if form.is_valid():
        services.thread_assign(actor=request.user, thread=thread, counsellor=form.cleaned_data["counsellor"])
        messages.success(request, _("The consultation was assigned."))
    return redirect("consultations:thread_detail", pk=thread.pk)


@require_POST
@login_required
def thread_draft(request, pk):
    """Save, submit for review, approve or send the reply; a stale version shows both texts."""
    thread = permissions.get_thread_for(request.user, pk)
    action = request.POST.get("action", "save")
    form = DraftForm(request.POST, prefix="draft")
    if not form.is_valid():
        return render(
            request,
            "consultations/thread_detail.html",
            _thread_context(request, thread, draft_form=form),
            status=400,
        )
    version, body = form.cleaned_data["version"], form.cleaned_data["body"]
    try:
        if body != thread.draft_body or action == "save":
            thread = services.draft_save(
                actor=request.user, thread=thread, body=body, based_on_version=version
            )
            version = thread.draft_version
        if action == "review":
            services.draft_submit(actor=request.user, thread=thread, based_on_version=version)
            messages.success(request, _("The reply is waiting for review."))
        elif action == "approve":
            if not permissions.can_review(request.user):
                raise ValidationError(_("Only a senior counsellor can approve a reply."))
            services.draft_approve(actor=request.user, thread=thread, based_on_version=version)
            messages.success(request, _("The reply was approved."))
        elif action == "send":
            services.reply_send(actor=request.user, thread=thread, based_on_version=version)
            messages.success(
                request, _("The reply was sent. The person was told by mail that a reply is waiting.")
            )
        else:
            messages.success(request, _("The draft was saved."))
    except StaleEdit as exc:
        current = exc.current
        form = DraftForm(data={"draft-body": body, "draft-version": current.draft_version}, prefix="draft")
        form.is_valid()
        form.add_error(
            None,
            _(
                "Another counsellor changed this reply in the meantime. "
                "Both texts are shown: check them, then save again."
            ),
        )
        ctx = _thread_context(
            request, current, draft_form=form, theirs=current.draft_body, theirs_by=current.draft_by
        )
        return render(request, "consultations/thread_detail.html", ctx, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        thread.refresh_from_db()
        return render(
            request,
            "consultations/thread_detail.html",
            _thread_context(request, thread, draft_form=form),
            status=400,
        )
    return redirect("consultations:thread_detail", pk=thread.pk)


@require_POST
@login_required
def thread_note(request, pk):
    thread = permissions.get_thread_for(request.user, pk)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        services.note_add(actor=request.user, thread=thread, body=form.cleaned_data["body"])
        messages.success(request, _("The note was added."))
        return redirect("consultations:thread_detail", pk=thread.pk)
    return render(
        request,
        "consultations/thread_detail.html",
        _thread_context(request, thread, note_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@login_required
def thread_close(request, pk):
    thread = permissions.get_thread_for(request.user, pk)
    if request.method == "POST":
        services.thread_close(actor=request.user, thread=thread)
        messages.success(request, _("The consultation was closed."))
        return redirect("consultations:thread_detail", pk=thread.pk)
    return render(request, "consultations/thread_close.html", {"thread": thread})


# --- reply templates ----------------------------------------------------------------------------


@require_GET
@login_required
def template_list(request):
    templates = permissions.visible_templates(request.user)
    return render(request, "consultations/template_list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
@login_required
def template_edit(request, pk=None):
    template = permissions.get_template_for(request.user, pk) if pk else None
    permissions.require_counsellor(request.user)
    initial = (
        {"title": template.title, "body": template.body, "is_active": template.is_active}
        if template
        else None
    )
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.template_save(actor=request.user, template=template, **form.cleaned_data)
        messages.success(request, _("The template was saved."))
        return redirect("consultations:template_list")
    return render(request, "consultations/template_form.html", {"form": form, "template": template})


# --- 相談記録 ---------------------------------------------------------------------------------


@require_GET
@login_required
def record_list(request):
    search = RecordSearchForm(request.GET or None)
    query = method = ""
    if search.is_valid():
        query, method = search.cleaned_data["q"], search.cleaned_data["method"]
    rows = selectors.records(request.user, query=query, method=method)
    page = uncounted_page(rows, request.GET.get("page"))
    if query:
        audit.record(actor=request.user, action="consultations.record.search", details={"method": method})
    return render(request, "consultations/record_list.html", {"page": page, "search": search})


def _record_form(request, *, instance=None, data=None):
    from portal.outreach.permissions import visible_referrals

    return RecordForm(
        data,
        instance=instance,
        municipalities=selectors.municipalities(),
        referrals=visible_referrals(request.user),
        initial=None if instance else {"date": timezone.localdate(), "method": Method.PHONE},
    )


def _record_findings(form, exc):
    return [
        (form[name], items, [(f, pii.finding_key(name, f)) for f in items])
        for name, items in exc.findings.items()
    ]


@require_http_methods(["GET", "POST"])
@login_required
def record_create(request):
    permissions.require_counsellor(request.user)
    form = _record_form(request, data=request.POST or None)
    findings = []
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                actor=request.user,
                values=form.cleaned_data,
                confirmed=request.POST.getlist("confirm"),
                user_number=form.cleaned_data["user_number"],
            )
        except pii.PersonalDataFound as exc:
            findings = _record_findings(form, exc)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("consultations:record_detail", pk=record.pk)
    return render(request, "consultations/record_form.html", {"form": form, "findings": findings})


@require_GET
@login_required
def record_detail(request, pk):
    record = permissions.get_record_for(request.user, pk)
    services.record_read(actor=request.user, obj=record, action="consultations.record.view")
    history = selectors.history_of(request.user, record)
    return render(request, "consultations/record_detail.html", {"record": record, "history": history})


@require_http_methods(["GET", "POST"])
@login_required
def record_edit(request, pk):
    record = permissions.get_record_for(request.user, pk)
    form = _record_form(request, instance=record, data=request.POST or None)
    if request.method == "GET":
        form.initial["version"] = record.version
    findings, conflict = [], None
    if request.method == "POST" and form.is_valid():
        try:
            services.record_update(
                actor=request.user,
                record=record,
                values=form.cleaned_data,
                based_on_version=form.cleaned_data.get("version") or 0,
                confirmed=request.POST.getlist("confirm"),
            )
        except pii.PersonalDataFound as exc:
            findings = _record_findings(form, exc)
        except StaleEdit as exc:
            conflict = exc.current
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = _record_form(request, instance=record, data=data)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone else saved this record in the meantime. "
                    "The saved text is shown beside yours: check both, then save again."
                ),
            )
        else:
            messages.success(request, _("The record was saved."))
            return redirect("consultations:record_detail", pk=record.pk)
    return render(
        request,
        "consultations/record_form.html",
        {"form": form, "findings": findings, "record": record, "conflict": conflict},
    )


# --- 相談実績 ---------------------------------------------------------------------------------


def _fiscal_year(request) -> int:
    try:
        return int(request.GET.get("fiscal_year") or selectors.default_fiscal_year())
    except ValueError as exc:
        raise Http404 from exc


@require_GET
@login_required
def statistics(request):
    year = _fiscal_year(request)
    stats = selectors.statistics(request.user, year)
    chart = exports.chart(stats)
    return render(
        request,
        "consultations/statistics.html",
        {
            "stats": stats,
            "year": year,
            "year_label": fiscal_year_label(year),
            "chart": chart,
            "years": range(selectors.default_fiscal_year(), selectors.default_fiscal_year() - 5, -1),
        },
    )


@require_GET
@login_required
def statistics_xlsx(request):
    year = _fiscal_year(request)
    stats = selectors.statistics(request.user, year)
    audit.record(actor=request.user, action="consultations.statistics.export", details={"fiscal_year": year})
    return spreadsheets.xlsx_response(exports.sheets(stats), f"consultations-{year}.xlsx")
