"""Authentication backends: Django's and allauth's, loading the signed-in person for a request
with what every page asks about them.

Every page needs, besides the person, whether they have an expert profile, whether they have a
second factor (the MFA requirement) and how many notifications they have not read (the menu's
badge): four queries, one after the other, before a page does any work of its own. Here they are
two: the person with their profile, and one statement for the rest. What was found is the
request's answer, as the permission helpers' per-request cache already was; the next request asks
again.
"""

from __future__ import annotations

import functools

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .permissions import seed_request_cache


def load_signed_in(user_id):
    User = get_user_model()
    user = User._default_manager.select_related("expert").filter(pk=user_id).first()
    if user is None:
        return None
    user.portal_has_mfa, user.portal_unread = _second_factor_and_unread(user.pk)
    seed_request_cache(user)
    return user


@functools.cache
def _extras_sql() -> str:
    """Whether the person has a second factor, and how many notifications they have not read, in
    one statement (written out: it runs on every page, and building it through the ORM cost more
    than running it)."""
    Notification = get_user_model()._meta.get_field("notifications").related_model

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def column(model, name):
        return connection.ops.quote_name(model._meta.get_field(name).column)

    # Only quoted table and column names from the models go into the text; values are parameters.
    return (
        f"SELECT EXISTS(SELECT 1 FROM {table(Authenticator)}"  # noqa: S608
        f" WHERE {column(Authenticator, 'user')} = %s AND {column(Authenticator, 'type')} IN (%s, %s)),"
        f" (SELECT COUNT(*) FROM {table(Notification)}"
        f" WHERE {column(Notification, 'user')} = %s AND {column(Notification, 'read_at')} IS NULL)"
    )


def _second_factor_and_unread(user_id) -> tuple[bool, int]:
    kinds = (Authenticator.Type.TOTP.value, Authenticator.Type.WEBAUTHN.value)
    with connection.cursor() as cursor:
        cursor.execute(_extras_sql(), [user_id, *kinds, user_id])
        has_mfa, unread = cursor.fetchone()
    return bool(has_mfa), int(unread)


class _SignedIn:
    def get_user(self, user_id):
        user = load_signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_SignedIn, ModelBackend):
    pass


class PortalAuthenticationBackend(_SignedIn, AuthenticationBackend):
    pass
