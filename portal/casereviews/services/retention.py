"""Retention and statistics: the purge of cases past their retention period."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.core import audit, purge

from ..models import NARRATIVE_FIELDS, AdviceRecord, AdviceRevision, Case, ConflictOfInterest, PurgeRecord
from ._common import S, _case_url, _locked

# --- retention and statistics -----------------------------------------------------------------------


def purge_candidates(*, now=None):
    now = now or timezone.now()
    limit = now - relativedelta(years=settings.CASE_RETENTION_YEARS)
    # A declined case is never closed: it is due the same time after it was declined.
    due = Q(status=S.CLOSED, closed_at__lte=limit) | Q(status=S.DECLINED, updated_at__lte=limit)
    return Case.objects.filter(due, purged_at__isnull=True).order_by("updated_at")


def _case_texts(case: Case) -> list[str]:
    """Every text written about the person of a case, wherever the case keeps it: what
    ``core.purge.clear_copies`` looks for in notifications, e-mails and audit rows."""
    texts = purge.texts_of(case, [*NARRATIVE_FIELDS, "decline_reason"])
    texts += [a.original_name for a in case.attachments.all()]
    texts += list(case.panel_notes.values_list("body", flat=True))
    texts += list(case.reports.values_list("body", flat=True))
    texts += list(case.transitions.exclude(comment="").values_list("comment", flat=True))
    texts += list(
        ConflictOfInterest.objects.filter(case=case).exclude(reason="").values_list("reason", flat=True)
    )
    advice = AdviceRecord.objects.filter(case=case).first()
    if advice is not None:
        texts += purge.texts_of(advice, AdviceRecord.CONTENT_FIELDS)
        for content in AdviceRevision.objects.filter(advice=advice).values_list("content", flat=True):
            texts += [str(v) for v in (content or {}).values() if v]
    return texts


def _case_objects(case: Case) -> list:
    """The case and the rows of it that audit events name."""
    return [
        case,
        *case.attachments.all(),
        *AdviceRecord.objects.filter(case=case),
        *ConflictOfInterest.objects.filter(case=case),
    ]


def purge_case(case: Case, *, actor=None) -> PurgeRecord:
    """Remove everything written about the person in a closed (or declined) case past retention:
    the narrative, attachments, panel notes, the advice and all its revisions, follow-up reports,
    transition and triage comments, the personal-data confirmations, and every copy in notifications, e-mails
    and audit labels (``core.purge.clear_copies``). Keep the statistics (organisation,
    disciplines, route, outcome, dates) and a record of what went."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.purged_at or locked.status not in (S.CLOSED, S.DECLINED):
            raise ValidationError("not purgeable")
        texts, objects = _case_texts(locked), _case_objects(locked)
        fields = [f for f in NARRATIVE_FIELDS if getattr(locked, f)]
        for f in NARRATIVE_FIELDS:
            setattr(locked, f, "")
        locked.decline_reason = ""
        locked.age = None
        attachments = list(locked.attachments.all())
        for a in attachments:
            a.file.delete(save=False)
        locked.attachments.all().delete()
        notes = locked.panel_notes.count()
        locked.panel_notes.all().delete()
        reports = locked.reports.count()
        locked.reports.update(body="")
        advice = AdviceRecord.objects.filter(case=locked).first()
        if advice is not None:
            AdviceRecord.objects.filter(pk=advice.pk).update(**dict.fromkeys(AdviceRecord.CONTENT_FIELDS, ""))
            AdviceRevision.objects.filter(advice=advice).delete()
            fields.append("advice")
        locked.transitions.update(comment="")
        locked.pii_confirmations.all().delete()
        # A conflict declared on this very case may say why (who the expert knows): its reason
        # goes with the rest; the row stays, so the history of who was barred is kept.
        ConflictOfInterest.objects.filter(case=locked).update(reason="")
        purge.clear_copies(texts=texts, urls=[_case_url(locked)], objects=objects)
        locked.purged_at = timezone.now()
        locked.save()
        record = PurgeRecord.objects.create(
            case=locked,
            closed_at=locked.closed_at or locked.purged_at,
            fields=fields,
            attachments=len(attachments),
            notes=notes,
            reports=reports,
        )
        audit.record(
            actor=actor,
            action="case.purge",
            obj=locked,
            details={"fields": fields, "attachments": len(attachments)},
        )
    return record


def purge_due_cases(*, now=None) -> int:
    """The cases past retention (the ``casereviews.case`` purge kind)."""
    return purge.run_kind("casereviews.case", now=now)
