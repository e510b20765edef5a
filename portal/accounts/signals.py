import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from portal.core import audit

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
