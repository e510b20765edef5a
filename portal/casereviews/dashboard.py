from django.db.models import Count, Q
from django.utils import timezone

from portal.accounts.permissions import active_organization_ids, expert_profile, is_coordinator
from portal.core import feeds
from portal.core.dashboard import panel

from . import permissions, services
from .models import Case, Meeting
from .selectors import case_list_rows, cases_visible_to


@panel(order=16)
def coordinator_cases_panel(request):
    if not is_coordinator(request.user):
        return None
    return {
        "template": "casereviews/panels/coordinator.html",
        **Case.objects.filter(status__in=[Case.Status.SUBMITTED, Case.Status.ACCEPTED]).aggregate(
            to_triage=Count("pk", filter=Q(status=Case.Status.SUBMITTED)),
            to_schedule=Count("pk", filter=Q(status=Case.Status.ACCEPTED)),
        ),
        "next_meetings": list(Meeting.objects.filter(status="scheduled", starts_at__gte=timezone.now())[:3]),
    }


@panel(order=45)
def my_cases_panel(request):
    user = request.user
    if is_coordinator(user) or not (permissions.is_municipal_staff(user) or expert_profile(user)):
        return None
    cases = list(
        case_list_rows(cases_visible_to(user)).exclude(status=Case.Status.CLOSED).order_by("-updated_at")[:5]
    )
    meetings = list(
        permissions.visible_meetings(user)
        .filter(status="scheduled", starts_at__gte=timezone.now())
        .order_by("starts_at")[:3]
    )
    is_expert = expert_profile(user) is not None
    written = []
    if is_expert:
        written = list(  # what the panel shows: never the advice's or the case's narrative
            permissions.visible_issued_advice(user)
            .filter(revisions__author=user)
            .select_related(None)
            .select_related("case")
            .only("case_id", "issued_at", "case__reference")
            .distinct()
            .order_by("-issued_at")[:5]
        )
    return {
        "template": "casereviews/panels/mine.html",
        "cases": cases,
        "meetings": meetings,
        "is_expert": is_expert,
        "advice_written": written,
    }


@feeds.source(watch=(Meeting, Case))
def meeting_events(user, since=None):
    """Coordinators: every meeting. Experts: the meetings of their panel while their profile is
    active. Municipal staff: their active organisations' scheduled cases."""
    events = []
    meetings = Meeting.objects.filter(status__in=["scheduled", "cancelled"], **feeds.since_window(since))
    if is_coordinator(user):
        return [services.meeting_event(m) for m in meetings]
    if expert_profile(user) is not None:
        events += [services.meeting_event(m) for m in meetings.filter(panel=user)]
    organizations = active_organization_ids(user)
    if organizations:
        own = (
            cases_visible_to(user)
            .filter(
                status=Case.Status.SCHEDULED,
                attendance__in=["invited", "accepted"],
                organization_id__in=organizations,
                **feeds.since_window(since, "meeting__starts_at"),
            )
            .select_related("meeting")
        )
        events += [services.meeting_event(c.meeting, for_case=c) for c in own if c.meeting]
    return events
