from django.conf import settings
from django.utils import translation

from . import audit, http


class PortalLocaleMiddleware:
    """Japanese unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the portal's users
    expect Japanese whatever their browser says, so only the explicit choice (cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class AuditContextMiddleware:
    """Makes the request's IP and active organisation available to audit.record()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit.set_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.reset_request(token)


class PrivateResponseMiddleware:
    """Nothing a signed-in person sees is kept by the browser or a proxy.

    Every response to a signed-in request gets ``Cache-Control: private, no-store`` unless the
    view declared it public (public downloads). Pages reached through a secret or a personal
    token (certificate verification, invitations, password reset, calendar feeds) are never
    indexed by search engines, signed in or not.
    """

    NOINDEX_VIEWS = frozenset(
        {
            "training:verify",
            "accounts:invitation_accept",
            "core:calendar_feed",
            "account_reset_password_from_key",
            "account_confirm_email",
            "consultations:register_confirm",
            "consultations:reset_confirm",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and "public" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in self.NOINDEX_VIEWS:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class InterruptedPostMiddleware:
    """A form sent after the session ended comes back to the form, with a word of explanation.

    When a POST needs a sign-in (the idle timeout ended the session, or its cookie is gone), the
    sign-in page would send the person on to the URL the form was posted to; that URL answers
    only POST, so after signing in they would meet an empty "405 Method Not Allowed". Here the
    sign-in redirect of an unsafe request points back to the page the form was on (the Referer,
    when it is this site's own page), and the person is told that nothing was sent.

    A GET on a POST-only URL (a bookmark, a reload after the fact) gets the portal's own page
    with a way on, instead of an empty 405.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE_METHODS and response.status_code in (301, 302, 303):
            return self._back_to_the_form(request, response)
        if response.status_code == 405 and request.method in ("GET", "HEAD") and not response.content:
            from django.shortcuts import render

            rendered = render(request, "405.html", {"back_to": http.referring_page(request)}, status=405)
            rendered["Allow"] = response.get("Allow", "POST")
            return rendered
        return response

    def _back_to_the_form(self, request, response):
        from urllib.parse import parse_qs, urlencode, urlsplit

        from django.contrib import messages
        from django.shortcuts import resolve_url
        from django.utils.translation import gettext as _

        location = urlsplit(response.get("Location", ""))
        if location.path != resolve_url(settings.LOGIN_URL):
            return response
        query = parse_qs(location.query)
        # Only a sign-in asked for *this* request (login_required, the session's end): a view that
        # sends a person on to the sign-in page on purpose (an account just made) is left alone.
        if query.get("next", [""])[0] not in (request.path, request.get_full_path()):
            return response
        back_to = http.referring_page(request)
        query["next"] = [back_to]
        response["Location"] = location._replace(query=urlencode(query, doseq=True)).geturl()
        messages.warning(
            request,
            _(
                "Your session had ended, so what you sent was not saved. After signing in you will "
                "be back on the same page: please enter it again."
            ),
        )
        return response


class PermissionsPolicyMiddleware:
    """Every response says which browser features the portal may use (``PERMISSIONS_POLICY``):
    none of camera, microphone, location and the like; security keys (WebAuthn) on the portal's own
    pages only."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.value = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response
