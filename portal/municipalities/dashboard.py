from django.utils import timezone

from portal.accounts.permissions import active_organization_ids, is_coordinator
from portal.core import feeds
from portal.core.dashboard import panel

from . import permissions, selectors
from .models import ExchangeSession, FollowUpAction, HearingSheet, Participation


@panel(order=40)
def municipal_programme_panel(request):
    org = permissions.active_municipality(request)
    if org is None:
        return None
    sheets = list(
        selectors.sheet_list_rows(permissions.visible_sheets(request.user))
        .filter(organization=org)
        .order_by("-programme__fiscal_year")[:3]
    )
    sessions = list(
        permissions.visible_sessions(request.user)
        .filter(organization=org, status="scheduled", starts_at__gte=timezone.now())
        .order_by("starts_at")[:3]
    )
    actions = list(
        permissions.visible_actions(request.user)
        .filter(owner=request.user, status="open")
        .order_by("due_date")[:5]
    )
    return {
        "template": "municipalities/panels/municipality.html",
        "sheets": sheets,
        "sessions": sessions,
        "actions": actions,
        "today": timezone.localdate(),
    }


@panel(order=15)
def coordinator_programme_panel(request):
    if not is_coordinator(request.user):
        return None
    return {
        "template": "municipalities/panels/coordinator.html",
        "to_review": HearingSheet.objects.filter(
            status=HearingSheet.Status.SUBMITTED, sessions__isnull=True
        ).count(),
        "applications": Participation.objects.filter(status=Participation.Status.APPLIED).count(),
        "overdue": FollowUpAction.objects.filter(status="open", due_date__lt=timezone.localdate()).count(),
        "upcoming": list(
            ExchangeSession.objects.filter(status="scheduled", starts_at__gte=timezone.now())
            .select_related("organization")
            .order_by("starts_at")[:5]
        ),
    }


@feeds.source(watch=(ExchangeSession,))
def exchange_events(user, since=None):
    from . import services

    """Exchanges the person takes part in: any as a coordinator, their active municipalities' otherwise."""
    sessions = (
        ExchangeSession.objects.filter(participants=user, **feeds.since_window(since))
        .select_related("organization")
        .prefetch_related("participants")
    )
    if not is_coordinator(user):
        sessions = sessions.filter(organization_id__in=active_organization_ids(user))
    return [services.session_event(s) for s in sessions]
