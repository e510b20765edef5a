import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.core import audit, feeds

from .models import User

LOGIN_AT_SESSION_KEY = "portal_login_at"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    # Django's login() has already given the session a new key; the absolute lifetime
    # (SESSION_ABSOLUTE_TIMEOUT) counts from here.
    request.session[LOGIN_AT_SESSION_KEY] = int(time.time())
    audit.record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user)


@receiver(post_save, sender=User)
def end_feed_of_deactivated_user(sender, instance, **kwargs):
    """However an account is switched off (admin, shell, a service), its calendar feed ends."""
    if not instance.is_active:
        feeds.feed_end(actor=None, user=instance, reason="user.deactivate")
