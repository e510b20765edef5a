from portal.accounts.permissions import active_organization_ids
from portal.core import feeds

from .models import Registration


@feeds.source
def event_events(user):
    from . import services

    """Confirmed places taken for an organisation the person still belongs to."""
    regs = Registration.objects.filter(
        user=user, status="confirmed", organization_id__in=active_organization_ids(user)
    ).select_related("event")
    return [services.event_calendar(r.event) for r in regs]
