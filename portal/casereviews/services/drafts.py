"""Drafts never submitted: their purge."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from portal.core import audit, purge

from .. import permissions
from ..models import Case
from ._common import S, _case_url, _locked
from .retention import _case_objects, _case_texts

# --- drafts -----------------------------------------------------------------------------------------


def draft_purge_candidates(*, now=None):
    """Drafts nobody saved for ``CASE_DRAFT_RETENTION_DAYS``: they never reached the secretariat."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.CASE_DRAFT_RETENTION_DAYS)
    return Case.objects.filter(status=S.DRAFT, updated_at__lte=limit).order_by("updated_at")


def _draft_delete(locked: Case, *, actor, action: str) -> None:
    texts, objects = _case_texts(locked), _case_objects(locked)
    for a in locked.attachments.all():
        a.file.delete(save=False)
    purge.clear_copies(texts=texts, urls=[_case_url(locked)], objects=objects)
    audit.record(actor=actor, action=action, obj=locked, organization=locked.organization)
    locked.delete()


def draft_delete(*, actor, case: Case) -> None:
    """The organisation deletes its own draft: the row, its attachments (files included) and every
    copy of its text. A submitted case is never deleted here."""
    with transaction.atomic():
        locked = _locked(case)
        if not permissions.can_delete_draft(actor, locked):
            raise PermissionDenied
        _draft_delete(locked, actor=actor, action="case.draft_delete")


def purge_draft(case: Case, *, actor=None) -> None:
    """An abandoned draft past ``CASE_DRAFT_RETENTION_DAYS`` (the ``casereviews.draft`` kind)."""
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != S.DRAFT:
            return
        _draft_delete(locked, actor=actor, action="case.draft_purge")
