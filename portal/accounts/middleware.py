"""Session lifetime, the active organisation, and the MFA requirement."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions
from .services import ACTIVE_ORG_SESSION_KEY
from .signals import LOGIN_AT_SESSION_KEY

LAST_SEEN_SESSION_KEY = "portal_last_seen"


class SessionLifetimeMiddleware:
    """Idle timeout (30 min) and absolute lifetime (12 h) of a signed-in session.

    The cookie age and the session store's expiry enforce the idle timeout too; checking it here
    as well makes it hold whatever the session backend or cache does with expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY, login_at)
            if (
                login_at is None
                or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - (last_seen or 0) > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - (last_seen or 0) >= settings.SESSION_ACTIVITY_RESOLUTION:
                # Written at most once a minute (saving it is what pushes the session's expiry):
                # not a database write on every page view for a timeout counted in minutes.
                request.session[LAST_SEEN_SESSION_KEY] = int(now)
        return self.get_response(request)


class ActiveOrganizationMiddleware:
    """Sets request.membership / request.organization: the organisation the person acts for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.organization = None
        if request.user.is_authenticated:
            memberships = permissions.active_memberships(request.user)
            wanted = request.session.get(ACTIVE_ORG_SESSION_KEY)
            chosen = next((m for m in memberships if m.organization_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
            if chosen is not None:
                request.membership = chosen
                request.organization = chosen.organization
        return self.get_response(request)


class MfaEnforcementMiddleware:
    """allauth has no "MFA required" switch: people who must use MFA and have no authenticator
    yet can do nothing but set one up (or sign out)."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and permissions.requires_mfa(user)
            and not has_mfa(user)
        ):
            messages.warning(
                request, _("Your role requires two-factor authentication. Please set it up now.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    cache = permissions.request_cache(user)
    if "has_mfa" not in cache:
        cache["has_mfa"] = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    return cache["has_mfa"]
