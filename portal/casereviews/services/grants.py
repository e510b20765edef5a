"""Object grants to the panel and conflicts of interest, and the blind-review default."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from portal.accounts.models import Organization
from portal.accounts.permissions import expert_profile, is_coordinator
from portal.core import audit

from .. import permissions
from ..models import BlindReviewDefault, Case, ConflictOfInterest
from ._common import _coordinators, _notify, _require_coordinator

# --- grants and conflicts of interest ---------------------------------------------------------------


def _conflict_message(expert, conflict: ConflictOfInterest) -> str:
    return _(
        "%(name)s has a conflict of interest with this case or its municipality, so the case cannot "
        "be given to them. Reason: %(reason)s"
    ) % {"name": expert.get_full_name(), "reason": conflict.reason}


def _refuse_conflicts(experts, cases) -> None:
    """Refuse, before anything is written, a grant path that would give a case to an expert with
    a conflict of interest: the coordinator is told who and why."""
    problems = []
    for expert in experts:
        for case in cases:
            conflict = permissions.conflict_with(expert, case)
            if conflict is not None:
                problems.append(_conflict_message(expert, conflict))
                break
    if problems:
        raise ValidationError(problems)


def _grant(actor, expert, case: Case) -> None:
    """The one way an expert is given a case: never past a conflict of interest, always audited."""
    _refuse_conflicts([expert], [case])
    assign_perm(permissions.READ_CASE, expert, case)
    audit.record(actor=actor, action="case.grant", obj=case, details={"user": expert.pk})


def conflict_declare(
    *, actor, expert, reason: str, organization: Organization | None = None, case: Case | None = None
) -> ConflictOfInterest:
    """An expert declares (or a coordinator records) a conflict of interest with a municipality or
    with one case. The expert's grants on the cases concerned end at once; the secretariat is told
    when the expert declared it, so they can find another expert."""
    if not (is_coordinator(actor) or (actor.pk == expert.pk and expert_profile(actor) is not None)):
        raise PermissionDenied
    if expert_profile(expert) is None:
        raise ValidationError({"expert": _("Choose an active expert.")})
    if (organization is None) == (case is None):
        raise ValidationError(_("Choose either a municipality or a case, not both."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    with transaction.atomic():
        own_about_municipality = organization is not None and not is_coordinator(actor)
        conflict = ConflictOfInterest.objects.create(
            expert=expert,
            organization=organization,
            case=case,
            reason=reason,
            declared_by=actor,
            confirmed_at=None if own_about_municipality else timezone.now(),
            confirmed_by=None if own_about_municipality else actor,
        )
        audit.record(
            actor=actor,
            action="conflict.declare",
            obj=conflict,
            organization=organization or (case.organization if case else None),
            details={
                "expert": expert.pk,
                "organization": organization.pk if organization else None,
                "case": case.pk if case else None,
            },
        )
        concerned = (
            Case.objects.filter(pk=case.pk) if case else Case.objects.filter(organization=organization)
        )
        if own_about_municipality:  # blind cases wait for the confirmation (see conflicted_rule)
            concerned = concerned.filter(blind_review=False)
        _revoke_for_conflict(actor, expert, concerned, conflict)
        if actor.pk == expert.pk:
            _notify(
                _coordinators(),
                title=_("%(name)s declared a conflict of interest") % {"name": expert.get_full_name()},
                url=reverse("casereviews:conflict_list"),
            )
    return conflict


def _revoke_for_conflict(actor, expert, concerned, conflict: ConflictOfInterest) -> None:
    granted = concerned.filter(
        caseuserobjectpermission__user=expert,
        caseuserobjectpermission__permission__codename="read_case",
    ).distinct()
    for held in list(granted):
        remove_perm(permissions.READ_CASE, expert, held)
        audit.record(
            actor=actor,
            action="case.revoke",
            obj=held,
            details={"user": expert.pk, "cause": "conflict", "conflict": conflict.pk},
        )


def conflict_confirm(*, actor, conflict: ConflictOfInterest) -> ConflictOfInterest:
    """A coordinator confirms an expert's own declaration about a municipality: from now on it
    bars the municipality's blind cases too, and the expert's grants on them end."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
        if not locked.awaits_confirmation:
            raise ValidationError(_("This conflict of interest needs no confirmation."))
        locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
        locked.save(update_fields=["confirmed_at", "confirmed_by"])
        audit.record(
            actor=actor,
            action="conflict.confirm",
            obj=locked,
            organization=locked.organization,
            details={"expert": locked.expert_id},
        )
        _revoke_for_conflict(
            actor, locked.expert, Case.objects.filter(organization=locked.organization), locked
        )
    return locked


def conflict_end(*, actor, conflict: ConflictOfInterest) -> ConflictOfInterest:
    """End a conflict (the row stays as history). Access is not given back by itself: the
    secretariat assigns the expert again where it is wanted."""
    with transaction.atomic():
        locked = ConflictOfInterest.objects.select_for_update().get(pk=conflict.pk)
        if not permissions.can_end_conflict(actor, locked):
            if locked.ended_at is not None:
                raise ValidationError(_("This conflict of interest has already ended."))
            raise PermissionDenied
        locked.ended_at, locked.ended_by = timezone.now(), actor
        locked.save(update_fields=["ended_at", "ended_by"])
        audit.record(
            actor=actor,
            action="conflict.end",
            obj=locked,
            organization=locked.organization,
            details={"expert": locked.expert_id},
        )
    return locked


def blind_review_default_set(*, actor, organization: Organization, blind: bool) -> BlindReviewDefault:
    """A municipality's administrator chooses whether its new cases start under blind review."""
    if not permissions.can_set_blind_default(actor, organization):
        raise PermissionDenied
    with transaction.atomic():
        setting, _created = BlindReviewDefault.objects.update_or_create(
            organization=organization, defaults={"blind": bool(blind), "updated_by": actor}
        )
        audit.record(
            actor=actor,
            action="case.blind_default",
            organization=organization,
            details={"blind": bool(blind)},
        )
    return setting


def _user_model():
    from portal.accounts.models import User

    return User


def _grantees(case: Case) -> list:
    """The people holding a per-person read grant on this case."""
    from portal.accounts.models import User

    user_ids = case.caseuserobjectpermission_set.filter(permission__codename="read_case").values("user_id")
    return list(User.objects.filter(pk__in=user_ids))
