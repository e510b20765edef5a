from portal.accounts.permissions import active_organization_ids, is_coordinator
from portal.core import feeds
from portal.core.dashboard import panel

from .models import Course, Registration, Session


@panel(order=50)
def my_training_panel(request):
    from . import selectors

    user = request.user
    if is_coordinator(user) or not active_organization_ids(user):
        return None  # training is for the members of an organisation; the panel's links would answer 403
    upcoming = list(selectors.my_upcoming(user)[:5])
    return {"template": "training/panels/mine.html", "registrations": upcoming}


@panel(order=48)
def coordinator_training_panel(request):
    from . import selectors

    if not is_coordinator(request.user):
        return None
    return {"template": "training/panels/coordinator.html", "sessions": selectors.next_sessions()}


@feeds.source(watch=(Course, Session, Registration))
def training_events(user, since=None):
    """Confirmed seats taken for an organisation the person still belongs to."""
    from . import services

    regs = Registration.objects.filter(
        user=user,
        status="confirmed",
        organization_id__in=active_organization_ids(user),
        **feeds.since_window(since, "session__starts_at"),
    ).select_related("session__course")
    return [services.session_calendar(r.session) for r in regs]
