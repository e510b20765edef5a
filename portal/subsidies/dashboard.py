"""Dashboard panels of the start-up subsidy: what needs the person's action."""

from portal.accounts.permissions import is_coordinator
from portal.core.dashboard import panel

from . import permissions
from .models import Application, Call


@panel(order=45)
def subsidy_panel(request):
    user = request.user
    if is_coordinator(user):
        waiting = Application.objects.filter(status__in=("submitted", "reported")).count()
        return {"template": "subsidies/panels/coordinator.html", "waiting": waiting}
    org = permissions.active_municipality(request)
    if org is None:
        return None
    applications = list(
        Application.objects.filter(organization=org).select_related("call").order_by("-call__fiscal_year")[:2]
    )
    calls = [c for c in Call.objects.filter(opened_at__isnull=False)[:2] if c.accepts_applications()]
    if not applications and not calls:
        return None
    return {"template": "subsidies/panels/municipality.html", "applications": applications, "calls": calls}
