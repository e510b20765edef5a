"""Who sees and does what with cases.

A municipality sees its own cases; partners none; experts only the cases of the meetings they sit
on (or the ad-hoc consultations given to them), through per-person guardian grants that end when
the advice is issued; coordinators all. Another organisation's case answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization
from portal.accounts.permissions import (
    active_memberships,
    expert_profile,
    is_coordinator,
    is_org_admin,
    membership_in,
)

from .models import (
    AdviceRecord,
    AdviceRevision,
    Case,
    CaseAttachment,
    CaseUserObjectPermission,
    ConflictOfInterest,
    Meeting,
)

READ_CASE = "casereviews.read_case"


def is_municipal_staff(user) -> bool:
    return any(m.organization.kind == Organization.Kind.MUNICIPALITY for m in active_memberships(user))


def is_panel_reader(user, case: Case) -> bool:
    return expert_profile(user) is not None and user.has_perm(READ_CASE, case)


def can_read_case(user, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


def require_case_reader(user) -> None:
    """Case pages exist for coordinators, municipal staff and experts; not for partners."""
    if not (is_coordinator(user) or is_municipal_staff(user) or expert_profile(user) is not None):
        raise PermissionDenied


def visible_cases(user):
    """The one visibility rule for cases, used by every list and by ``get_case_for``: coordinators
    all but other organisations' drafts; staff the cases of their own organisations; experts the
    cases they hold a read grant on (their meeting's agenda, their ad-hoc consultations), never a
    draft. Partners none. A draft is its organisation's alone until it is submitted."""
    qs = Case.objects.select_related("organization", "meeting")
    own = Q(organization_id__in=[m.organization_id for m in active_memberships(user)])
    if is_coordinator(user):
        return qs.filter(~Q(status=Case.Status.DRAFT) | own)
    rule = own
    if expert_profile(user) is not None:
        granted = CaseUserObjectPermission.objects.filter(user=user, permission__codename="read_case")
        rule |= (
            Q(pk__in=granted.values("content_object_id"))
            & ~conflicted_rule(user)
            & ~Q(status=Case.Status.DRAFT)
        )
    return qs.filter(rule)


# --- conflicts of interest ------------------------------------------------------------------------------


def active_conflicts_of(expert):
    return ConflictOfInterest.objects.filter(expert=expert, ended_at__isnull=True)


def conflicted_rule(expert, prefix: str = "") -> Q:
    """The cases an expert has an active conflict with: the case itself, or any case of the
    organisation they declared. One rule for lists, detail, agenda, advice and grants."""
    active = active_conflicts_of(expert)
    with_organization = active.filter(organization__isnull=False)
    confirmed = with_organization.filter(confirmed_at__isnull=False).values("organization_id")
    awaiting = with_organization.filter(confirmed_at__isnull=True).values("organization_id")
    # A declaration awaiting the secretariat's confirmation bars the municipality's open cases
    # only: were blind cases to vanish at once, the declaration would tell the expert where they
    # come from. Blind ones follow when a coordinator confirms it (``conflict_confirm``).
    return (
        Q(**{f"{prefix}pk__in": active.filter(case__isnull=False).values("case_id")})
        | Q(**{f"{prefix}organization_id__in": confirmed})
        | Q(**{f"{prefix}organization_id__in": awaiting, f"{prefix}blind_review": False})
    )


def conflict_with(expert, case: Case) -> ConflictOfInterest | None:
    """The expert's active conflict that bars them from this case, if any."""
    return (
        active_conflicts_of(expert)
        .filter(Q(case_id=case.pk) | Q(organization_id=case.organization_id))
        .order_by("declared_at", "pk")
        .first()
    )


def require_conflict_reader(user) -> None:
    """The conflicts page exists for coordinators (all conflicts) and experts (their own)."""
    if not (is_coordinator(user) or expert_profile(user) is not None):
        raise PermissionDenied


def visible_conflicts(user):
    """The one visibility rule for conflicts of interest: coordinators all, an expert their own,
    nobody else."""
    qs = ConflictOfInterest.objects.select_related(
        "expert", "organization", "case", "declared_by", "ended_by"
    )
    if is_coordinator(user):
        return qs
    if expert_profile(user) is not None:
        return qs.filter(expert=user)
    return qs.none()


def get_conflict_for(user, pk) -> ConflictOfInterest:
    try:
        return visible_conflicts(user).get(pk=pk)
    except (ConflictOfInterest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_end_conflict(user, conflict: ConflictOfInterest) -> bool:
    """Coordinators end any conflict; an expert only one they declared themselves (a conflict the
    secretariat recorded stays until the secretariat ends it)."""
    if not conflict.is_active:
        return False
    return is_coordinator(user) or (conflict.expert_id == user.pk and conflict.declared_by_id == user.pk)


# --- blind review ----------------------------------------------------------------------------------------

BLIND_LABEL = _("Municipality (hidden)")


def sees_submitter(user, case: Case) -> bool:
    """Whether the person sees the submitting organisation's name and its staff names: always
    coordinators and the submitting organisation's own staff; experts only if the case is not
    under blind review."""
    return not case.blind_review or is_coordinator(user) or is_case_owner(user, case)


def submitter_label(user, case: Case) -> str:
    return case.organization.name if sees_submitter(user, case) else str(BLIND_LABEL)


def can_set_blind_default(user, organization) -> bool:
    """A municipality's administrators choose its default for new cases."""
    return (
        organization is not None
        and organization.kind == Organization.Kind.MUNICIPALITY
        and is_org_admin(user, organization)
    )


def get_case_for(user, pk) -> Case:
    """The case, or 404 for everyone who may not read it (partners and experts without a grant
    included): the same answer as for a case that does not exist."""
    try:
        return visible_cases(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visible_issued_advice(user):
    """The one visibility rule for issued advice: whoever may read the case, and the experts who
    wrote part of the advice, who keep reading it (and its PDF) after their access to the case
    itself ended with the issue."""
    qs = AdviceRecord.objects.filter(issued_at__isnull=False).select_related("case", "case__organization")
    if is_coordinator(user):
        return qs
    rule = Q(case__in=visible_cases(user).values("pk"))
    if expert_profile(user) is not None:
        rule |= Q(pk__in=AdviceRevision.objects.filter(author=user).values("advice_id")) & ~conflicted_rule(
            user, prefix="case__"
        )
    return qs.filter(rule)


def get_issued_advice_for(user, case_pk) -> AdviceRecord:
    try:
        return visible_issued_advice(user).get(case_id=case_pk)
    except (AdviceRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def had_panel_access(user, case_pk) -> bool:
    """An expert whose read grant on this case was withdrawn (the advice was issued, the case taken
    off the agenda, or they left the panel): they knew the case, so they are told why they can no
    longer open it instead of getting a 404."""
    from django.contrib.contenttypes.models import ContentType

    from portal.core.models import AuditEvent

    if expert_profile(user) is None:
        return False
    if Case.objects.filter(pk=case_pk).filter(conflicted_rule(user)).exists():
        return False  # a conflicted expert is told nothing: the plain 404
    return AuditEvent.objects.filter(
        action="case.revoke",
        content_type=ContentType.objects.get_for_model(Case),
        object_id=str(case_pk),
        details__user=user.pk,
    ).exists()


def is_case_owner(user, case: Case) -> bool:
    """Staff of the submitting organisation (coordinators for the secretariat's own cases)."""
    return membership_in(user, case.organization_id) is not None


def get_case_for_owner(user, pk) -> Case:
    case = get_case_for(user, pk)
    if not is_case_owner(user, case):
        raise PermissionDenied
    return case


def can_delete_draft(user, case: Case) -> bool:
    """A draft is deleted by its own organisation; once submitted it never is."""
    return case.status == Case.Status.DRAFT and is_case_owner(user, case)


def get_draft_for_owner(user, pk) -> Case:
    case = get_case_for(user, pk)
    if not can_delete_draft(user, case):
        raise Http404
    return case


def get_case_for_coordinator(user, pk) -> Case:
    case = get_case_for(user, pk)
    if not is_coordinator(user):
        raise PermissionDenied
    return case


def can_see_panel_notes(user, case: Case) -> bool:
    return is_coordinator(user) or is_panel_reader(user, case)


def get_case_for_panel(user, pk) -> Case:
    """Pre-meeting notes and the advice draft: coordinators and the granted experts."""
    case = get_case_for(user, pk)
    if not can_see_panel_notes(user, case):
        raise PermissionDenied
    return case


def advice_fields_for(user, case: Case) -> list[str]:
    """Coordinators draft the whole record; an expert writes their own discipline's part."""
    if is_coordinator(user):
        return ["summary", "medical", "psychology", "legal", "welfare"]
    profile = expert_profile(user)
    if profile is not None and is_panel_reader(user, case):
        return [profile.panel_discipline] if profile.panel_discipline else []
    return []


def get_attachment_for(user, case: Case, attachment_pk) -> CaseAttachment:
    try:
        return case.attachments.get(pk=attachment_pk)
    except (CaseAttachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_create_case(user, organization) -> bool:
    if organization is None:
        return False
    if organization.kind == Organization.Kind.MUNICIPALITY:
        return membership_in(user, organization.pk) is not None
    return organization.kind == Organization.Kind.SECRETARIAT and is_coordinator(user)


def can_start_case(user, organization) -> bool:
    """Whether the "new case" button shows: staff of their municipality, or coordinators."""
    return can_create_case(user, organization) or is_coordinator(user)


def organization_for_new_case(user, organization) -> Organization:
    """The organisation a new case is filed under: the active municipality of its staff, or the
    secretariat for coordinators; anyone else is refused."""
    if organization is not None and can_create_case(user, organization):
        return organization
    if is_coordinator(user):
        return Organization.objects.get(kind=Organization.Kind.SECRETARIAT)
    raise PermissionDenied


def require_meeting_reader(user) -> None:
    if not (is_coordinator(user) or expert_profile(user) is not None):
        raise PermissionDenied


def visible_meetings(user):
    """The one visibility rule for case-review meetings: coordinators all, experts those whose
    panel they sit on; no one else."""
    if is_coordinator(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(panel=user)


def get_meeting_for(user, pk) -> Meeting:
    """Coordinators and the meeting's panel; 404 for everyone else, as for a missing meeting."""
    try:
        return visible_meetings(user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_meeting_for_coordinator(user, pk) -> Meeting:
    meeting = get_meeting_for(user, pk)  # 404 first for those not on the meeting
    if not is_coordinator(user):
        raise PermissionDenied
    return meeting
