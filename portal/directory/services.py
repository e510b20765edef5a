"""Every write to the directories: partners propose changes to their entry, coordinators review
them and keep the support institutions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator, membership_in
from portal.accounts.selectors import coordinators
from portal.core import audit, outbox
from portal.core.exceptions import StaleEdit

from .models import PartnerEntry, SupportInstitution

__all__ = ["StaleEdit"]

ENTRY_FIELDS = ("description", "address", "phone", "website", "support_types", "areas")
INSTITUTION_FIELDS = ("category", "name", "description", "audience", "location", "url", "order", "is_active")


def _proposal(data: dict) -> dict:
    return {
        "description": data.get("description") or "",
        "address": data.get("address") or "",
        "phone": data.get("phone") or "",
        "website": data.get("website") or "",
        "support_types": sorted(data.get("support_types") or []),
        "areas": sorted(int(getattr(a, "pk", a)) for a in data.get("areas") or []),
    }


def entry_propose(
    *, actor, organization: Organization, data: dict, based_on_version: int | None
) -> PartnerEntry:
    """A partner's change to its entry; it waits for a coordinator before the public sees it."""
    if organization.kind != Organization.Kind.PARTNER or membership_in(actor, organization.pk) is None:
        raise PermissionDenied
    with transaction.atomic():
        entry, created = PartnerEntry.objects.select_for_update().get_or_create(organization=organization)
        if not created and entry.version != based_on_version:  # no version: the page saw no entry
            raise StaleEdit(current=entry)
        entry.proposal = _proposal(data)
        entry.review = PartnerEntry.Review.PENDING
        entry.review_comment = ""
        entry.proposed_by, entry.proposed_at = actor, timezone.now()
        entry.version += 0 if created else 1
        entry.save()
        audit.record(actor=actor, action="directory.propose", obj=organization)
        url = reverse("directory:partner_review", args=[entry.pk])
        for person in coordinators():
            outbox.notify(
                user=person,
                title=_("A directory entry awaits review: %(o)s") % {"o": organization},
                url=url,
                email=False,
            )
    return entry


def _require_coordinator(actor) -> None:
    if not is_coordinator(actor):
        raise PermissionDenied


def _locked_pending(entry: PartnerEntry) -> PartnerEntry:
    locked = PartnerEntry.objects.select_for_update().select_related("organization").get(pk=entry.pk)
    if locked.review != PartnerEntry.Review.PENDING:
        raise ValidationError(_("This change has already been dealt with. Reload the page to see its state."))
    return locked


def _apply(entry: PartnerEntry, values: dict) -> None:
    entry.description = values["description"]
    entry.address = values["address"]
    entry.phone = values.get("phone", "")  # proposals made before the phone was asked have none
    entry.website = values["website"]
    entry.support_types = values["support_types"]
    entry.areas.set(Organization.objects.filter(pk__in=values["areas"], kind=Organization.Kind.MUNICIPALITY))


def entry_approve(*, actor, entry: PartnerEntry, reviewed_version: int | None) -> PartnerEntry:
    """Publish the proposal the coordinator reviewed: ``reviewed_version`` is the version the review
    page showed. A proposal changed since then is refused as stale (the page shows both), and so is an
    approval that does not say which version it read."""
    _require_coordinator(actor)
    if reviewed_version is None:
        raise ValidationError(_("Say which version you reviewed: reload the page and approve again."))
    with transaction.atomic():
        locked = _locked_pending(entry)
        if locked.version != reviewed_version:
            raise StaleEdit(current=locked)
        _apply(locked, locked.proposal)
        locked.is_published, locked.published_at = True, timezone.now()
        locked.proposal, locked.review = {}, PartnerEntry.Review.NONE
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="directory.approve", obj=locked.organization)
        if locked.proposed_by:
            outbox.notify(
                user=locked.proposed_by,
                title=_("Your directory entry was published: %(o)s") % {"o": locked.organization},
                url=reverse("directory:partner_list"),
            )
    return locked


def entry_return(*, actor, entry: PartnerEntry, comment: str) -> PartnerEntry:
    _require_coordinator(actor)
    if not comment.strip():
        raise ValidationError(_("Say what should change."))
    with transaction.atomic():
        locked = _locked_pending(entry)
        locked.review, locked.review_comment = PartnerEntry.Review.RETURNED, comment
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action="directory.return", obj=locked.organization)
        if locked.proposed_by:
            outbox.notify(
                user=locked.proposed_by,
                title=_("Your directory entry was returned for changes: %(o)s") % {"o": locked.organization},
                body=comment,
                url=reverse("directory:partner_entry"),
            )
    return locked


def entry_publish_initial(
    *,
    organization: Organization,
    description: str = "",
    address: str = "",
    website: str = "",
    phone: str = "",
) -> PartnerEntry:
    """The first entry of a partner, from the reference data (demo and onboarding): types and
    areas as registered in accounts."""
    with transaction.atomic():
        entry, _created = PartnerEntry.objects.get_or_create(organization=organization)
        if entry.is_published:
            return entry
        _apply(
            entry,
            {
                "description": description,
                "address": address,
                "phone": phone,
                "website": website,
                "support_types": sorted(organization.support_types),
                "areas": list(organization.locations.values_list("pk", flat=True)),
            },
        )
        entry.is_published, entry.published_at = True, timezone.now()
        entry.save()
        audit.record(actor=None, action="directory.publish_initial", obj=organization)
    return entry


def institution_save(
    *, actor, institution: SupportInstitution | None, data: dict, based_on_version: int | None
) -> SupportInstitution:
    _require_coordinator(actor)
    values = {k: data.get(k) for k in INSTITUTION_FIELDS if k in data}
    with transaction.atomic():
        if institution is None:
            saved = SupportInstitution.objects.create(**values)
        else:
            saved = SupportInstitution.objects.select_for_update().get(pk=institution.pk)
            if saved.version != based_on_version:
                raise StaleEdit(current=saved)
            for name, value in values.items():
                setattr(saved, name, value)
            saved.version += 1
            saved.save()
        audit.record(actor=actor, action="directory.institution_save", obj=saved)
    return saved
