import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET, require_POST

from . import audit, dashboard, exports, feeds, http, outbox, permissions, selectors, services
from .filters import AuditEventFilter, OutboundEmailFilter
from .forms import NotificationPreferencesForm
from .models import NotificationPreference
from .paging import uncounted_page

PAGE_SIZE = 50


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# Sections that apps add to the public entrance (e.g. upcoming joint consultation fairs): a
# function (request) -> dict | None with ``template`` and its context, like dashboard panels;
# ``"position": "top"`` puts a section (an urgent notice) above the introduction.
_entrance_sections: list = []


def entrance_section(fn):
    _entrance_sections.append(fn)
    return fn


def home(request):
    """``/``: the public entrance for someone not signed in, the dashboard for everyone else."""
    if request.user.is_authenticated:
        return dashboard_view(request)
    sections = [s for s in (fn(request) for fn in _entrance_sections) if s]
    return render(
        request,
        "core/home.html",
        {
            "top_sections": [s for s in sections if s.get("position") == "top"],
            "sections": [s for s in sections if s.get("position") != "top"],
        },
    )


@login_required
def dashboard_view(request):
    # nothing to read when the count taken with the person is 0
    unread = getattr(request.user, "portal_unread", None)
    notifications = (
        [] if unread == 0 else selectors.notifications_for(request.user).filter(read_at__isnull=True)[:5]
    )
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": dashboard.panels_for(request),
            "latest_notifications": notifications,
            "today": timezone.localdate(),
        },
    )


@login_required
def notification_list(request):
    page = _page(request, selectors.notifications_for(request.user))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    notification = permissions.get_notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if notification.url.startswith("/") and not notification.url.startswith("//"):
        return redirect(notification.url)
    return redirect("core:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("core:notification_list")


@login_required
def audit_list(request):
    permissions.require_audit_access(request.user)
    filterset = AuditEventFilter(request.GET, queryset=selectors.audit_events())
    page = uncounted_page(selectors.audit_list_rows(filterset.qs), request.GET.get("page"), PAGE_SIZE)
    return render(request, "core/audit_list.html", {"filter": filterset, "page": page})


@login_required
def audit_object_history(request, content_type_id, object_id):
    permissions.require_audit_access(request.user)
    obj = selectors.audited_object(content_type_id, object_id)
    page = uncounted_page(audit.history_for(obj), request.GET.get("page"), PAGE_SIZE)
    return render(request, "core/audit_history.html", {"object": obj, "page": page})


@login_required
def outbox_list(request):
    permissions.require_audit_access(request.user)
    filterset = OutboundEmailFilter(request.GET, queryset=selectors.outbound_emails())
    return render(
        request, "core/outbox_list.html", {"filter": filterset, "page": _page(request, filterset.qs)}
    )


@login_required
@require_GET
def audit_export(request):
    """The audit log as the list shows it (same filters), as xlsx or CSV."""
    permissions.require_audit_access(request.user)
    filterset = AuditEventFilter(request.GET, queryset=selectors.audit_events())
    return exports.list_download(
        request,
        action="audit.export",
        filterset=filterset,
        title=_("Audit log"),
        header=exports.audit_header(),
        rows=exports.audit_rows(filterset.qs),
        stem="audit-log",
    )


@login_required
@require_GET
def outbox_export(request):
    permissions.require_audit_access(request.user)
    filterset = OutboundEmailFilter(request.GET, queryset=selectors.outbound_emails())
    return exports.list_download(
        request,
        action="outbox.export",
        filterset=filterset,
        title=_("Outgoing email"),
        header=exports.outbox_header(),
        rows=exports.outbox_rows(filterset.qs),
        stem="outbox",
    )


@login_required
@require_POST
def outbox_retry(request, pk):
    mail = permissions.get_outbound_email_for(request.user, pk)
    services.outbound_email_retry(actor=request.user, mail=mail)
    messages.success(request, _("The email was queued again."))
    return redirect("core:outbox_list")


def _check(fn):
    try:
        fn()
        return "ok"
    except Exception as exc:  # any failure means "down" for the health report
        return f"error: {type(exc).__name__}"


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    from django.core.cache import cache

    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value")


def _check_broker():
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_GET
def liveness(request):
    """The process answers (a load balancer or systemd restarts it when not); touches nothing else,
    so a database outage does not make every web process look dead."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def healthz(request):
    """Readiness: database, broker and cache answer; 503 takes the host out of the load balancer."""
    checks = {
        "database": _check(_check_database),
        "broker": _check(_check_broker),
        "cache": _check(_check_cache),
    }
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)


@login_required
def calendar_settings(request):
    token = request.session.pop("calendar_feed_token", None)
    feed_url = request.build_absolute_uri(reverse("core:calendar_feed", args=[token])) if token else None
    return render(
        request,
        "core/calendar.html",
        {
            "has_feed": feeds.has_feed(request.user),
            "feed_url": feed_url,
        },
    )


@login_required
@require_POST
def calendar_renew(request):
    # Shown once, on the next page; only its hash is stored.
    request.session["calendar_feed_token"] = feeds.feed_renew(actor=request.user)
    messages.success(request, _("A new calendar address was made. The old one no longer works."))
    return redirect("core:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    feeds.feed_revoke(actor=request.user)
    messages.success(request, _("The calendar address was switched off."))
    return redirect("core:calendar_settings")


def _personal_feed(request, token):
    """The feed the token opens (None for an unknown or ended one), looked up once per request."""
    if not hasattr(request, "portal_feed"):
        user = feeds.user_for_token(token)
        request.portal_feed = (user, feeds.personal_feed(user)) if user is not None else (None, None)
    return request.portal_feed


def _feed_etag(request, token):
    return getattr(_personal_feed(request, token)[1], "etag", None)


def _feed_last_modified(request, token):
    feed = _personal_feed(request, token)[1]
    return None if feed is None else dt.datetime.fromtimestamp(feed.last_modified, tz=dt.UTC)


@require_GET
@condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)
def calendar_feed(request, token):
    """Public URL (the secret token is the permission): every date the person is part of, from
    90 days back. Calendar apps poll it: sending its ETag or Last-Modified back is answered 304
    until something in it changes."""
    user, feed = _personal_feed(request, token)
    if feed is None:
        raise Http404
    response = http.download(feed.body(user), http.ICS, "portal.ics", inline=True)
    # kept by the calendar app, but asked again each time (no-store would forbid the copy that a
    # conditional request revalidates)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def notification_preferences(request):
    """One's own choice of the areas whose notifications also come by email."""
    off = outbox.email_off_areas(request.user)
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if form.is_valid():
            on = set(form.cleaned_data["email_areas"])
            services.notification_preferences_save(
                actor=request.user, email_off=[a for a in NotificationPreference.Area.values if a not in on]
            )
            messages.success(request, _("Your email notification settings were saved."))
            return redirect("core:notification_preferences")
    else:
        form = NotificationPreferencesForm(
            initial={"email_areas": [a for a in NotificationPreference.Area.values if a not in off]}
        )
    return render(request, "core/notification_preferences.html", {"form": form})


def csrf_failure(request, reason=""):
    """The portal's own page when a form arrives without a valid CSRF token (an old page, a
    browser refusing cookies): in the portal's words and style, with the way back to the form."""
    return render(request, "403_csrf.html", {"back_to": http.referring_page(request)}, status=403)
