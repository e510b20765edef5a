"""An organisation sees its own requests; an expert the consultations assigned to them;
municipalities none; coordinators all. Inactive partner organisations cannot request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from portal.accounts.models import Organization
from portal.accounts.permissions import active_memberships, expert_profile, is_coordinator, membership_in

from .models import Consultation, QuotaException


def partner_memberships(user):
    return [m for m in active_memberships(user) if m.organization.kind == Organization.Kind.PARTNER]


def is_talent_bank_expert(user) -> bool:
    profile = expert_profile(user)
    return profile is not None and bool(profile.talent_bank_discipline)


def require_reader(user) -> None:
    if not (is_coordinator(user) or partner_memberships(user) or is_talent_bank_expert(user)):
        raise PermissionDenied


def requesting_partner(request) -> Organization:
    org = getattr(request, "organization", None)
    if org is None or org.kind != Organization.Kind.PARTNER or not org.is_active:
        raise PermissionDenied
    return org


def visible_consultations(user):
    """The one visibility rule for consultations, used by every list and every detail page:
    coordinators see all; partner staff their organisations' requests; an expert the consultations
    assigned to them; everybody else none."""
    qs = Consultation.objects.select_related("organization", "expert")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_coordinator(user):
        return qs
    org_ids = [m.organization_id for m in partner_memberships(user)]
    return qs.filter(Q(organization_id__in=org_ids) | Q(expert=user))


def visible_quota_exceptions(user):
    """Quota exceptions: coordinators see all, partner staff their own organisations' ones."""
    qs = QuotaException.objects.select_related("organization")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_coordinator(user):
        return qs
    return qs.filter(organization_id__in=[m.organization_id for m in partner_memberships(user)])


def get_consultation_for(user, pk) -> Consultation:
    require_reader(user)
    try:
        return visible_consultations(user).get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_consultation_for_requester(user, pk) -> Consultation:
    c = get_consultation_for(user, pk)
    if membership_in(user, c.organization_id) is None and not is_coordinator(user):
        raise PermissionDenied
    return c


def get_consultation_for_coordinator(user, pk) -> Consultation:
    c = get_consultation_for(user, pk)
    if not is_coordinator(user):
        raise PermissionDenied
    return c


def get_consultation_for_expert(user, pk) -> Consultation:
    c = get_consultation_for(user, pk)
    if c.expert_id != user.pk:
        raise PermissionDenied
    return c


def require_expert(user):
    profile = expert_profile(user)
    if profile is None or not profile.talent_bank_discipline:
        raise PermissionDenied
    return profile


def expert_for_availability(request):
    """Experts keep their own availability; coordinators may keep it for any talent-bank expert
    (``?expert=<id>``), e.g. when registering a new expert."""
    from portal.accounts.models import ExpertProfile

    wanted = request.GET.get("expert") or request.POST.get("expert")
    if wanted and is_coordinator(request.user):
        try:
            return ExpertProfile.objects.select_related("user").get(pk=int(wanted))
        except (ExpertProfile.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
    return require_expert(request.user)


def get_bookable_expert(pk):
    """A talent-bank expert whose slots may be held (unknown or inactive → 404)."""
    from portal.accounts.models import ExpertProfile

    try:
        return ExpertProfile.objects.select_related("user").get(
            pk=int(pk), is_active=True, talent_bank_discipline__in=["legal", "medical", "management"]
        )
    except (ExpertProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_own_hold(user, pk):
    """A hold the person made themself; anybody else's (or a made-up id) → 404."""
    from portal.core.models import Reservation

    held = Reservation.objects.select_related("resource").filter(pk=pk, holder=user).first() if pk else None
    if pk and held is None:
        raise Http404
    return held


def get_availability_row(profile, kind: str, pk):
    """A weekly-hours or exception row of this expert's schedule, or 404."""
    from .models import AvailabilityException, WeeklyHours

    model = WeeklyHours if kind == "weekly" else AvailabilityException
    row = model.objects.select_related("schedule__expert").filter(pk=pk, schedule__expert=profile).first()
    if row is None:
        raise Http404
    return row
