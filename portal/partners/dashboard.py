from portal.accounts.permissions import active_organization_ids, expert_profile
from portal.core import feeds

from .models import Consultation


@feeds.source(watch=(Consultation,))
def consultation_events(user, since=None):
    from . import services

    """The expert's consultations while their profile is active; an attendee's while they belong
    to the consulting organisation."""
    mine = Consultation.objects.filter(
        status__in=["confirmed", "cancelled"], starts_at__isnull=False, **feeds.since_window(since)
    )
    own = mine.none()
    if expert_profile(user) is not None:
        own |= mine.filter(expert=user)
    organizations = active_organization_ids(user)
    if organizations:
        own |= mine.filter(attendees=user, organization_id__in=organizations)
    rows = own.distinct().select_related("organization").prefetch_related("attendees")
    return [services._event(c) for c in rows]
