"""The residents' session: apart from the staff session.

A resident signs in with a 利用者番号 and a password. What says who they are is kept in a session
store of its own, under its own cookie (``RESIDENT_SESSION_COOKIE``) that the browser sends only to
the residents' pages (``RESIDENT_SESSION_PATH``). Staff pages read ``request.user`` from Django's
session and never this one; resident pages read ``request.resident`` and never ``request.user``.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.crypto import constant_time_compare

from .models import Resident

KEY_ID = "resident_id"
KEY_HASH = "resident_hash"
KEY_LAST = "resident_last"
ACTIVITY_RESOLUTION = 60


def _store(key: str | None):
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def resident_of(request) -> Resident | None:
    session = request.resident_session
    pk = session.get(KEY_ID)
    if pk is None:
        return None
    now = int(time.time())
    if now - int(session.get(KEY_LAST, 0)) > settings.RESIDENT_SESSION_IDLE:
        session.flush()
        return None
    resident = Resident.objects.filter(pk=pk, is_active=True).first()
    if resident is None or not constant_time_compare(session.get(KEY_HASH, ""), resident.session_hash()):
        session.flush()
        return None
    if now - int(session.get(KEY_LAST, 0)) >= ACTIVITY_RESOLUTION:
        session[KEY_LAST] = now
    return resident


def sign_in(request, resident: Resident) -> None:
    session = request.resident_session
    session.flush()  # a new key at every sign-in: no session fixation
    session[KEY_ID] = resident.pk
    session[KEY_HASH] = resident.session_hash()
    session[KEY_LAST] = int(time.time())
    request.resident = resident


def sign_out(request) -> None:
    request.resident_session.flush()
    request.resident = None


class ResidentSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = settings.RESIDENT_SESSION_COOKIE
        request.resident_session = _store(request.COOKIES.get(name))
        on_path = request.path.startswith(settings.RESIDENT_SESSION_PATH)
        has_key = request.resident_session.session_key is not None
        request.resident = resident_of(request) if on_path and has_key else None
        response = self.get_response(request)
        if not request.path.startswith(settings.RESIDENT_SESSION_PATH):
            return response
        session = request.resident_session
        response["Cache-Control"] = "private, no-store"
        if name in request.COOKIES and session.is_empty():
            response.delete_cookie(name, path=settings.RESIDENT_SESSION_PATH, samesite="Lax")
            patch_vary_headers(response, ("Cookie",))
        elif session.modified and not session.is_empty():
            session.save()
            response.set_cookie(
                name,
                session.session_key,
                max_age=settings.RESIDENT_SESSION_IDLE + ACTIVITY_RESOLUTION,
                path=settings.RESIDENT_SESSION_PATH,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            patch_vary_headers(response, ("Cookie",))
        return response
