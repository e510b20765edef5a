"""Who may write and read coordinators' mailings: the secretariat only.

A mailing belongs to no organisation; its recipient rows name the organisation each person was
written to for. Everyone but a coordinator gets 403 before any mailing is read, so an existing
mailing and a missing one look the same to them.
"""

from __future__ import annotations

from django.http import Http404

from portal.accounts.permissions import is_coordinator, require_coordinator

from .models import Mailing, MailingRecipient

__all__ = ["require_coordinator", "visible_mailings", "visible_recipients", "get_mailing_for"]


def visible_mailings(user):
    """The one visibility queryset of mailings: coordinators all, anyone else none."""
    if not is_coordinator(user):
        return Mailing.objects.none()
    return Mailing.objects.select_related("created_by", "sent_by")


def visible_recipients(user):
    """The one visibility queryset of recipient rows: coordinators all, anyone else none."""
    if not is_coordinator(user):
        return MailingRecipient.objects.none()
    return MailingRecipient.objects.all()


def get_mailing_for(user, pk) -> Mailing:
    require_coordinator(user)
    try:
        return visible_mailings(user).get(pk=pk)
    except (Mailing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
