from portal.accounts.permissions import active_organization_ids
from portal.core import feeds

from .models import Event, Registration


@feeds.source(watch=(Event, Registration))
def event_events(user, since=None):
    from . import services

    """Confirmed places taken for an organisation the person still belongs to."""
    regs = Registration.objects.filter(
        user=user,
        status="confirmed",
        organization_id__in=active_organization_ids(user),
        **feeds.since_window(since, "event__starts_at"),
    ).select_related("event")
    return [services.event_calendar(r.event) for r in regs]
