"""Dashboard panels of the start-up subsidy: what needs the person's action."""

from portal.accounts.permissions import is_coordinator
from portal.core.dashboard import panel
from portal.core.prepared import Prepared, PreparedCounts

from . import permissions
from .models import Application, Call

# The same statement on every coordinator's dashboard: compiled once (core.prepared).
_COORDINATOR_COUNTS = PreparedCounts(
    {"waiting": lambda: Application.objects.filter(status__in=("submitted", "reported"))}
)

# A municipality's panel: its own two latest applications, and the two latest calls (compiled once).
_OWN_APPLICATIONS = Prepared(
    lambda org_id: (
        Application.objects.filter(organization=org_id)
        .select_related("call")
        .order_by("-call__fiscal_year")[:2]
    )
)
_OPENED_CALLS = Prepared(lambda: Call.objects.filter(opened_at__isnull=False)[:2])


@panel(order=45)
def subsidy_panel(request):
    user = request.user
    if is_coordinator(user):
        return {"template": "subsidies/panels/coordinator.html", **_COORDINATOR_COUNTS()}
    org = permissions.active_municipality(request)
    if org is None:
        return None
    applications = _OWN_APPLICATIONS(org.pk)
    calls = [c for c in _OPENED_CALLS() if c.accepts_applications()]
    if not applications and not calls:
        return None
    return {"template": "subsidies/panels/municipality.html", "applications": applications, "calls": calls}
