"""Thin views of the consultation-window directory: the public list and downloads, each
municipality's own entries and yearly confirmation, the secretariat's confirmation status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.core import http, pdf, spreadsheets
from portal.core.dates import fiscal_year_label, fiscal_year_of, wareki
from portal.core.forms import rebase

from . import permissions, selectors, services
from .forms import WindowForm


def _stale_message(request):
    messages.error(
        request,
        _(
            "Someone else saved this in the meantime. Your input is kept below; the saved version is shown "
            "beside it. Check both, then save again."
        ),
    )


KIND_TITLES = {"ward": "特別区", "city": "市", "townvillage": "町村"}


def window_directory(request):
    """Public: every municipality's consultation windows."""
    q = request.GET.get("q", "").strip()[:100]
    groups = selectors.public_directory(q)
    return render(
        request,
        "windows/window_directory.html",
        {"groups": [(KIND_TITLES[k], v) for k, v in groups.items()], "q": q},
    )


def _directory_rows():
    for w in selectors.directory_rows().iterator(chunk_size=2000):
        yield [
            w.organization.code,
            w.organization.name,
            w.name,
            w.department,
            w.phone,
            w.hours,
            w.email,
            w.web_url,
            "○" if w.accepts_home_visit else "",
            w.notes,
        ]


DIRECTORY_HEADER = [
    "地方公共団体コード",
    "区市町村",
    "窓口名",
    "担当部署",
    "電話番号",
    "受付時間",
    "メール",
    "ウェブページ",
    "訪問相談の受付",
    "備考",
]


@require_GET
def window_directory_csv(request):
    return spreadsheets.csv_response(DIRECTORY_HEADER, _directory_rows(), "consultation-windows.csv")


@require_GET
def window_directory_pdf(request):
    groups = selectors.public_directory()
    content = pdf.render_pdf(
        "windows/pdf/directory.html",
        {
            "groups": [(KIND_TITLES[k], v) for k, v in groups.items()],
            "generated": wareki(timezone.localdate()),
        },
    )
    return http.download(content, http.PDF, "consultation-windows.pdf")


@login_required
def window_mine(request):
    organization = permissions.require_municipality(request)
    fy = fiscal_year_of()
    confirmation = selectors.directory_confirmation(request.user, organization, fy)
    return render(
        request,
        "windows/window_mine.html",
        {
            "organization": organization,
            "windows": selectors.windows_of(request.user, organization),
            "confirmation": confirmation,
            "fiscal_year": fy,
        },
    )


def _window_form_view(request, organization, window):
    form = WindowForm(
        request.POST or None, instance=window, initial={"version": window.version} if window else {"order": 1}
    )
    current = None
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in WindowForm.Meta.fields}
        try:
            services.window_save(
                actor=request.user,
                organization=organization,
                window=window,
                based_on_version=form.cleaned_data.get("version"),
                **fields,
            )
        except services.StaleEdit as exc:
            _stale_message(request)
            current = exc.current
            rebase(form, exc.current.version)
        else:
            messages.success(request, _("The consultation window was saved."))
            return redirect("windows:window_mine")
    return render(
        request,
        "windows/window_form.html",
        {"form": form, "organization": organization, "window": window, "current": current},
    )


@login_required
def window_create(request):
    organization = permissions.require_municipality(request)
    return _window_form_view(request, organization, None)


@login_required
def window_edit(request, pk):
    window = permissions.get_window_for_editor(request.user, pk)
    return _window_form_view(request, window.organization, window)


@login_required
@require_POST
def window_delete(request, pk):
    window = permissions.get_window_for_editor(request.user, pk)
    services.window_remove(actor=request.user, window=window)
    messages.success(request, _("The consultation window was removed from the list."))
    return redirect("windows:window_mine")


@login_required
@require_POST
def window_confirm(request):
    organization = permissions.require_municipality(request)
    services.directory_confirm(actor=request.user, organization=organization, fiscal_year=fiscal_year_of())
    messages.success(
        request,
        _("Thank you. The entries are confirmed for %(year)s.")
        % {"year": fiscal_year_label(fiscal_year_of())},
    )
    return redirect("windows:window_mine")


@login_required
def window_status(request):
    permissions.require_coordinator(request.user)
    fy = fiscal_year_of()
    return render(
        request,
        "windows/window_status.html",
        {"organizations": selectors.directory_status(request.user, fy), "fiscal_year": fy},
    )


@login_required
@require_POST
def window_remind(request):
    permissions.require_coordinator(request.user)
    fy = fiscal_year_of()
    orgs = selectors.active_municipalities(only_ids=request.POST.getlist("organization"))
    count = services.directory_remind(actor=request.user, organizations=list(orgs), fiscal_year=fy)
    messages.success(request, _("%(n)d reminders were sent.") % {"n": count})
    return redirect("windows:window_status")
