"""Authentication backends: Django's and allauth's, loading the signed-in person for a request
with what every page asks about them.

Every page needs, besides the person, whether they have an expert profile, whether they have a
second factor (the MFA requirement) and how many notifications they have not read (the menu's
badge): four queries, one after the other, before a page does any work of its own. Here they are
one ORM statement (the profile joined, the other two as subquery annotations). What was found is
the request's answer, as the permission helpers' per-request cache already was; the next request
asks again.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .permissions import seed_request_cache


def _signed_in_queryset(user_id):
    """The person with their expert profile, whether they have a second factor (the MFA
    requirement) and how many notifications they have not read (the menu's badge)."""
    User = get_user_model()
    Notification = User._meta.get_field("notifications").related_model
    kinds = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    return (
        User._default_manager.select_related("expert")
        .filter(pk=user_id)
        .annotate(
            portal_has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=kinds)),
            portal_unread=Coalesce(
                Subquery(
                    Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
                    .order_by()
                    .values("user")
                    .annotate(n=Count("*"))
                    .values("n")
                ),
                0,
            ),
        )
    )


def load_signed_in(user_id):
    user = _signed_in_queryset(user_id).first()
    if user is None:
        return None
    user.portal_has_mfa, user.portal_unread = bool(user.portal_has_mfa), int(user.portal_unread)
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
