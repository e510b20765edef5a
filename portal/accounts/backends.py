"""Authentication backends: Django's and allauth's, loading the signed-in person for a request in
one query.

Every page needs, besides the person, whether they have an expert profile, whether they have a
second factor (the MFA requirement) and how many notifications they have not read (the menu's
badge): four queries, one after the other, before a page does any work of its own. Here they are
one. What the query found is the request's answer, as the permission helpers' per-request cache
already was; the next request asks again.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .permissions import seed_request_cache


def load_signed_in(user_id):
    User = get_user_model()
    Notification = User._meta.get_field("notifications").related_model
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    second_factor = Authenticator.objects.filter(
        user=OuterRef("pk"), type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    )
    user = (
        User._default_manager.select_related("expert")
        .annotate(
            portal_has_mfa=Exists(second_factor),
            portal_unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        )
        .filter(pk=user_id)
        .first()
    )
    if user is not None:
        seed_request_cache(user)
    return user


class _SignedIn:
    def get_user(self, user_id):
        user = load_signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_SignedIn, ModelBackend):
    pass


class PortalAuthenticationBackend(_SignedIn, AuthenticationBackend):
    pass
