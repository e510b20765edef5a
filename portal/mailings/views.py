"""Thin views of coordinators' mailings: write, check (preview and count), send, follow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.core import http
from portal.core.forms import rebase

from . import letters, permissions, selectors, services, sources
from .forms import OrganizationMailingForm, SendForm, SourceMailingForm
from .models import Mailing

PAGE_SIZE = 25
RECIPIENT_PAGE_SIZE = 50


@login_required
@require_GET
def mailing_list(request):
    permissions.require_coordinator(request.user)
    page = Paginator(selectors.mailings_for_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for mailing in page:
        mailing.group_label = sources.GROUP_LABELS.get(mailing.group, "")
    return render(request, "mailings/list.html", {"page": page})


def _findings_context(exc, form) -> list:
    """(bound field, findings, [(finding, key)]) for components/pii_guard.html."""
    return [
        (form[field], items, [(f, services.pii.finding_key(field, f)) for f in items])
        for field, items in exc.findings.items()
    ]


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, " ".join(exc.messages))


def _compose(request, *, source: str, source_obj, mailing: Mailing | None):
    organizations = source == Mailing.Source.ORGANIZATIONS
    initial = {}
    if mailing is not None:
        initial = {
            "subject": mailing.subject,
            "body": mailing.body,
            "group": mailing.group,
            "version": mailing.version,
        }
        if organizations:
            initial.update(OrganizationMailingForm.initial_from(mailing.audience))
    if organizations:
        form = OrganizationMailingForm(request.POST or None, initial=initial)
    else:
        form = SourceMailingForm(request.POST or None, initial=initial, source=source)
    findings, current = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "subject": data["subject"],
            "body": data["body"],
            "source_obj": source_obj,
            "group": data.get("group", ""),
            "audience": form.audience() if organizations else None,
            "confirmed": set(request.POST.getlist("confirm")),
        }
        try:
            if mailing is None:
                saved = services.mailing_create(source=source, **common)
            else:
                saved = services.mailing_update(
                    mailing=mailing, based_on_version=data.get("version") or 0, **common
                )
        except services.PersonalDataFound as exc:
            findings = _findings_context(exc, form)
            messages.warning(
                request,
                _(
                    "The message may contain personal data. Remove it, or confirm each passage that "
                    "is needed (for example the phone number of a venue)."
                ),
            )
        except services.StaleEdit as exc:
            messages.error(
                request,
                _(
                    "Someone else saved this message in the meantime. "
                    "Your text is kept below; check it and save again."
                ),
            )
            current = exc.current
            rebase(form, exc.current.version)
        except services.AlreadySent as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect("mailings:detail", mailing.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("mailings:confirm", saved.pk)
    facts = (
        sources.SOURCES[source].facts(source_obj) if source_obj is not None else sources.organization_facts()
    )
    back = sources.SOURCES[source].back(source_obj) if source_obj is not None else None
    return render(
        request,
        "mailings/compose.html",
        {
            "form": form,
            "mailing": mailing,
            "facts": facts,
            "source_label": Mailing.Source(source).label,
            "organizations": organizations,
            "findings": findings,
            "current": current,
            "back": back,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def mailing_create(request, source, pk):
    permissions.require_coordinator(request.user)
    if source not in sources.SOURCES:
        raise Http404
    source_obj = sources.SOURCES[source].fetch(request.user, pk)
    return _compose(request, source=source, source_obj=source_obj, mailing=None)


@login_required
def mailing_create_for_organizations(request):
    permissions.require_coordinator(request.user)
    return _compose(request, source=Mailing.Source.ORGANIZATIONS, source_obj=None, mailing=None)


@login_required
def mailing_edit(request, pk):
    mailing = permissions.get_mailing_for(request.user, pk)
    if not mailing.is_draft:
        messages.info(request, _("This message has already been sent and cannot be changed."))
        return redirect("mailings:detail", mailing.pk)
    source_obj = selectors.source_object(request.user, mailing)
    return _compose(request, source=mailing.source, source_obj=source_obj, mailing=mailing)


@login_required
def mailing_confirm(request, pk):
    """GET: one letter as it will arrive and the exact number of recipients; POST: send."""
    mailing = permissions.get_mailing_for(request.user, pk)
    if not mailing.is_draft:
        if request.method == "POST":
            messages.info(request, _("This message is already being sent."))
        return redirect("mailings:detail", mailing.pk)
    source_obj = selectors.source_object(request.user, mailing)
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            try:
                services.mailing_send(
                    actor=request.user,
                    mailing=mailing,
                    expected_count=form.cleaned_data["expected_count"],
                    based_on_version=form.cleaned_data["version"],
                    source_obj=source_obj,
                )
            except services.AlreadySent:
                messages.info(request, _("This message is already being sent."))
                return redirect("mailings:detail", mailing.pk)
            except services.StaleEdit:
                messages.error(
                    request, _("The message was changed in the meantime. Check it again before sending.")
                )
                mailing.refresh_from_db()
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The message is being sent."))
                return redirect("mailings:detail", mailing.pk)
        else:
            messages.error(request, _("The page was out of date. Check the message again before sending."))
    rows = selectors.audience(request.user, mailing, source_obj)
    first_user, first_org = selectors.preview_person(request.user, rows)
    subject, body = letters.letter(
        subject=mailing.subject,
        body=mailing.body,
        user=first_user,
        organization=first_org,
        facts=mailing.facts,
    )
    return render(
        request,
        "mailings/confirm.html",
        {
            "mailing": mailing,
            "count": len(rows),
            "preview_subject": subject,
            "preview_body": body,
            "preview_user": first_user,
            "group_label": sources.GROUP_LABELS.get(mailing.group, ""),
            "kept_findings": len(mailing.confirmed_findings),
            "send_form": SendForm(initial={"expected_count": len(rows), "version": mailing.version}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def mailing_detail(request, pk):
    mailing = permissions.get_mailing_for(request.user, pk)
    page = Paginator(selectors.recipients_of(request.user, mailing), RECIPIENT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "mailings/detail.html",
        {
            "mailing": mailing,
            "page": page,
            "note": http.job_note(services.job_state(mailing)),
            "group_label": sources.GROUP_LABELS.get(mailing.group, ""),
        },
    )


@login_required
@require_GET
def mailing_status(request, pk):
    mailing = permissions.get_mailing_for(request.user, pk)
    return http.job_progress(
        status=mailing.job_status,
        label=mailing.get_status_display(),
        done=mailing.done,
        total=mailing.total,
        percent=mailing.percent,
        reload=True,  # the finished page shows each recipient's email
        note=http.job_note(services.job_state(mailing)),
    )
