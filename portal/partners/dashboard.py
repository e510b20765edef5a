from portal.core import feeds

from .models import Consultation


@feeds.source
def consultation_events(user):
    from . import services

    mine = Consultation.objects.filter(status__in=["confirmed", "cancelled"], starts_at__isnull=False)
    own = mine.filter(expert=user) | mine.filter(attendees=user)
    return [services._event(c) for c in own.distinct().select_related("organization")]
