from datetime import timedelta

from django.db.models import Count, Q, Window
from django.utils import timezone

from portal.core.dashboard import panel
from portal.core.models import OutboundEmail

from . import permissions, selectors
from .models import Invitation


@panel(order=10)
def coordinator_panel(request):
    if not permissions.is_coordinator(request.user):
        return None
    # the first eight, each carrying how many there are in all (one query for the list and the count)
    without_admin = list(
        selectors.organizations_without_admin()
        .only("pk", "kind", "name", "legal_form", "branch")
        .annotate(total=Window(Count("pk")))
        .order_by("kind", "code", "name")[:8]
    )
    now = timezone.now()
    invitations = Invitation.objects.pending(now).aggregate(
        pending=Count("pk"), expiring=Count("pk", filter=Q(expires_at__lte=now + timedelta(days=1)))
    )
    emails = OutboundEmail.objects.filter(
        status__in=[OutboundEmail.Status.FAILED, OutboundEmail.Status.RETRYING]
    ).aggregate(
        failed=Count("pk", filter=Q(status=OutboundEmail.Status.FAILED)),
        retrying=Count("pk", filter=Q(status=OutboundEmail.Status.RETRYING)),
    )
    return {
        "template": "accounts/panels/coordinator.html",
        "orgs_without_admin": without_admin,
        "orgs_without_admin_count": without_admin[0].total if without_admin else 0,
        "pending_invitations": invitations["pending"],
        "expiring_invitations": invitations["expiring"],
        "failed_emails": emails["failed"],
        "retrying_emails": emails["retrying"],
    }


@panel(order=20)
def organization_panel(request):
    membership = getattr(request, "membership", None)
    if membership is None or membership.organization.is_secretariat:
        return None
    org = membership.organization
    context = {"template": "accounts/panels/organization.html", "organization": org, "membership": membership}
    if membership.is_admin:
        context["member_count"] = selectors.members_of(org).filter(is_active=True).count()
        context["pending_invitations"] = list(
            Invitation.objects.pending().filter(organization=org).order_by("expires_at")[:5]
        )
    return context


@panel(order=30)
def expert_panel(request):
    profile = permissions.expert_profile(request.user)
    if profile is None:
        return None
    return {"template": "accounts/panels/expert.html", "profile": profile}
