"""The panel's advice: saving drafts and issuing it."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from portal.accounts.permissions import expert_profile
from portal.core import audit, outbox
from portal.core.dates import wareki
from portal.core.exceptions import StaleEdit

from .. import permissions
from ..models import AdviceRecord, AdviceRevision, Case
from ._common import S, _case_url, _locked, _members, _move, _require_coordinator
from .grants import _grantees, _user_model

# --- advice ------------------------------------------------------------------------------------------


def advice_save(*, actor, case: Case, content: dict, based_on_version: int) -> AdviceRecord:
    """Edit the advice record: each save is a revision; a stale edit is refused."""
    allowed = permissions.advice_fields_for(actor, case)
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        locked_case = _locked(case)
        if locked_case.status not in (S.SCHEDULED, S.REVIEWED, S.ADHOC):
            raise ValidationError(
                _("The advice can be written once the case is on a meeting or with an expert.")
            )
        advice = AdviceRecord.objects.select_for_update().filter(case=locked_case).first()
        if advice is None:
            if based_on_version != 0:
                raise StaleEdit(current=None)
            advice = AdviceRecord(case=locked_case, updated_by=actor, version=0)
        elif advice.version != based_on_version:
            raise StaleEdit(current=advice)
        if advice.issued_at:
            raise ValidationError(_("The advice has been issued."))
        changed = [f for f in allowed if f in content and getattr(advice, f) != content[f]]
        if not changed:
            raise ValidationError(
                _("Nothing was entered or changed, so nothing was saved. Write in your part of the record.")
            )
        for f in changed:
            setattr(advice, f, content[f])
        advice.version += 1
        advice.updated_by = actor
        advice.save()
        AdviceRevision.objects.create(
            advice=advice,
            number=advice.version,
            author=actor,
            content={f: getattr(advice, f) for f in AdviceRecord.CONTENT_FIELDS},
        )
        audit.record(actor=actor, action="advice.save", obj=locked_case, details={"fields": changed})
    return advice


def advice_issue(*, actor, case: Case) -> AdviceRecord:
    """Issue the advice: the municipality is told, the experts' access to the case ends, and the
    follow-up report falls due after CASE_FOLLOW_UP_MONTHS."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked = _locked(case)
        advice = AdviceRecord.objects.select_for_update().filter(case=locked).first()
        if advice is None or not advice.summary.strip():
            raise ValidationError(_("Write the summary of the advice before issuing it."))
        _move(locked, S.ADVISED, actor)
        advice.issued_at = timezone.now()
        advice.issued_by = actor
        advice.save(update_fields=["issued_at", "issued_by"])
        locked.report_due = timezone.localdate() + relativedelta(months=settings.CASE_FOLLOW_UP_MONTHS)
        locked.save()
        authors = {r.author_id for r in advice.revisions.all()}
        experts = [u for u in _grantees(locked) if expert_profile(u) is not None]
        experts += [
            u for u in _user_model().objects.filter(pk__in=authors, expert__isnull=False) if u not in experts
        ]
        _revoke_all_grants(locked)
        for expert in experts:
            outbox.notify(
                user=expert,
                title=_("The advice for case %(ref)s was issued; you can still read it and its PDF")
                % {"ref": locked.reference},
                url=_case_url(locked),
            )
        for user in _members(locked.organization):
            outbox.queue_templated_email(
                to=user.email,
                recipient=user,
                template="casereviews/email/advice_issued",
                context={
                    "case": locked,
                    "url": _case_url(locked),
                    "report_due": wareki(locked.report_due, weekday=True),
                },
            )
            outbox.notify(
                user=user,
                title=_("Advice issued for case %(ref)s") % {"ref": locked.reference},
                url=_case_url(locked),
                email=False,
            )
    return advice


def _revoke_all_grants(case: Case) -> None:
    for user in _grantees(case):
        remove_perm(permissions.READ_CASE, user, case)
        audit.record(actor=None, action="case.revoke", obj=case, details={"user": user.pk})
