from django.conf import settings
from django.utils import translation

from . import audit


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
