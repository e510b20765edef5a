from portal.core import feeds

from .models import Registration


@feeds.source
def event_events(user):
    from . import services

    regs = Registration.objects.filter(user=user, status="confirmed").select_related("event")
    return [services.event_calendar(r.event) for r in regs]
