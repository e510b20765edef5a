from datetime import datetime, timedelta

from django.db.models import Count, Window
from django.utils import timezone

from portal.core.dashboard import panel
from portal.core.models import OutboundEmail
from portal.core.prepared import Prepared, PreparedCounts

from . import permissions, selectors
from .models import Invitation

# The secretariat's dashboard is the same statements every time: compiled once (core.prepared).
_WITHOUT_ADMIN = Prepared(  # the first eight, each carrying how many there are in all
    lambda: (
        selectors.organizations_without_admin()
        .only("pk", "kind", "name", "legal_form", "branch")
        .annotate(total=Window(Count("pk")))
        .order_by("kind", "code", "name")[:8]
    )
)
_COUNTS = PreparedCounts(
    {
        "pending_invitations": lambda now, soon: Invitation.objects.pending(now),
        "expiring_invitations": lambda now, soon: Invitation.objects.pending(now).filter(
            expires_at__lte=soon
        ),
        "failed_emails": lambda now, soon: OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED),
        "retrying_emails": lambda now, soon: OutboundEmail.objects.filter(
            status=OutboundEmail.Status.RETRYING
        ),
    },
    kinds=(datetime, datetime),
)


@panel(order=10)
def coordinator_panel(request):
    if not permissions.is_coordinator(request.user):
        return None
    without_admin = _WITHOUT_ADMIN()
    now = timezone.now()
    return {
        "template": "accounts/panels/coordinator.html",
        "orgs_without_admin": without_admin,
        "orgs_without_admin_count": without_admin[0].total if without_admin else 0,
        **_COUNTS(now, now + timedelta(days=1)),
    }


# An organisation administrator's panel, for their own organisation (compiled once).
_ADMIN_COUNTS = PreparedCounts(
    {"member_count": lambda org_id: selectors.members_of(org_id).filter(is_active=True)}
)
_ADMIN_INVITATIONS = Prepared(
    lambda org_id, now: (
        Invitation.objects.pending(now).filter(organization=org_id).order_by("expires_at")[:5]
    ),
    kinds=(int, datetime),
)


@panel(order=20)
def organization_panel(request):
    membership = getattr(request, "membership", None)
    if membership is None or membership.organization.is_secretariat:
        return None
    org = membership.organization
    context = {"template": "accounts/panels/organization.html", "organization": org, "membership": membership}
    if membership.is_admin:
        context.update(_ADMIN_COUNTS(org.pk))
        context["pending_invitations"] = _ADMIN_INVITATIONS(org.pk, timezone.now())
    return context


@panel(order=30)
def expert_panel(request):
    profile = permissions.expert_profile(request.user)
    if profile is None:
        return None
    return {"template": "accounts/panels/expert.html", "profile": profile}
