"""訪問相談: referrals, triage, the preliminary interview, visits, closing and retention."""

from __future__ import annotations

import datetime as dt
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.selectors import active_members, coordinators
from portal.core import audit, outbox, pii, purge
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import fiscal_year_of
from portal.core.exceptions import InvalidTransition, StaleEdit

from .. import permissions
from ..models import (
    REFERRAL_NARRATIVE_FIELDS,
    HomeVisit,
    ReferralConfirmation,
    ReferralTransition,
    VisitReferral,
)
from ._common import MIN_AGE, MIN_WITHDRAWAL_MONTHS, R, _confirm_findings, _notify

# --- 訪問相談 referrals ------------------------------------------------------------------------------

REFERRAL_FIELDS = [
    "pseudonym",
    "age",
    "compulsory_education_done",
    "lives_in_tokyo",
    "withdrawal_months",
    "is_exception",
    "exception_reason",
    "household",
    "tried",
    "consent_by",
    "consent_how",
    "consent_on",
    "preferred_times",
]


def eligibility_problems(data: dict) -> dict[str, str]:
    """The three conditions of 訪問相談: 15 or older and past compulsory education, living in
    Tokyo, in withdrawal for 6 months or more."""
    problems = {}
    if (data.get("age") or 0) < MIN_AGE or not data.get("compulsory_education_done"):
        problems["age"] = _("The person must be 15 or older and have finished compulsory education.")
    if not data.get("lives_in_tokyo"):
        problems["lives_in_tokyo"] = _("The person must live in Tokyo.")
    if (data.get("withdrawal_months") or 0) < MIN_WITHDRAWAL_MONTHS:
        problems["withdrawal_months"] = _("The withdrawal must have lasted 6 months or more.")
    return problems


def _check_referral(data: dict) -> None:
    problems = eligibility_problems(data)
    if problems and not data.get("is_exception"):
        problems["is_exception"] = _(
            "The referral does not meet the conditions. Send it as an exception with a reason, "
            "or do not send it."
        )
        raise ValidationError(problems)
    if data.get("is_exception") and not (data.get("exception_reason") or "").strip():
        raise ValidationError({"exception_reason": _("Give the reason for the exception.")})
    if data.get("consent_on") and data["consent_on"] > timezone.localdate():
        raise ValidationError({"consent_on": _("The date of consent cannot be in the future.")})


def _record_confirmations(referral, findings, actor):
    for name, items in findings.items():
        for f in items:
            ReferralConfirmation.objects.create(
                referral=referral,
                field=name,
                kind=f.kind,
                text_hash=pii.finding_key(name, f),
                confirmed_by=actor,
            )


def _move(referral: VisitReferral, to: str, actor) -> None:
    ReferralTransition.objects.create(
        referral=referral, from_status=referral.status, to_status=to, actor=actor
    )
    audit.record(actor=actor, action=f"visit_referral.{to}", obj=referral, details={"from": referral.status})
    referral.status = to
    referral.version += 1


def _referral_url(referral) -> str:
    return reverse("outreach:referral_detail", args=[referral.pk])


def referral_submit(*, actor, organization: Organization, data: dict, confirmed=frozenset()) -> VisitReferral:
    """A municipality refers a resident. Eligibility is checked (refused with the reason, or sent as
    an exception with a reason); free text passes the personal-data guard."""
    if (
        permissions.membership_in_org(actor, organization) is None
        or organization.kind != Organization.Kind.MUNICIPALITY
    ):
        raise PermissionDenied
    _check_referral(data)
    findings = _confirm_findings(
        {n: str(data.get(n) or "") for n in REFERRAL_NARRATIVE_FIELDS if n in data}, confirmed
    )
    with transaction.atomic():
        fy = fiscal_year_of()
        referral = VisitReferral(
            organization=organization,
            fiscal_year=fy,
            created_by=actor,
            reference=f"V{fy}-{uuid.uuid4().hex[:6].upper()}",
        )
        for name in REFERRAL_FIELDS:
            if name in data:
                setattr(referral, name, data[name])
        if not referral.is_exception:
            referral.exception_reason = ""
        referral.save()
        _record_confirmations(referral, findings, actor)
        audit.record(
            actor=actor,
            action="visit_referral.submit",
            obj=referral,
            details={"exception": referral.is_exception},
        )
        _notify(
            coordinators(),
            title=_("Home-visit referral %(ref)s from %(org)s")
            % {"ref": referral.reference, "org": organization},
            url=_referral_url(referral),
        )
    return referral


def _locked_referral(referral) -> VisitReferral:
    return (
        VisitReferral.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=referral.pk)
    )


def referral_resubmit(
    *, actor, referral: VisitReferral, data: dict, based_on_version: int, confirmed=frozenset()
):
    """After a request for more information the municipality completes the referral."""
    _check_referral(data)
    findings = _confirm_findings(
        {n: str(data.get(n) or "") for n in REFERRAL_NARRATIVE_FIELDS if n in data}, confirmed
    )
    with transaction.atomic():
        locked = _locked_referral(referral)
        if permissions.membership_in_org(actor, locked.organization) is None:
            raise PermissionDenied
        if locked.status != R.INFO_REQUESTED:
            raise InvalidTransition(_("Only a referral returned for more information can be changed."))
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        for name in REFERRAL_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        _move(locked, R.SUBMITTED, actor)
        locked.save()
        _record_confirmations(locked, findings, actor)
        _notify(
            coordinators(),
            title=_("Home-visit referral %(ref)s was completed") % {"ref": locked.reference},
            url=_referral_url(locked),
        )
    return locked


def referral_triage(*, actor, referral: VisitReferral, decision: str, note: str = "") -> VisitReferral:
    """Accept (an interview is arranged next), ask for more, or decline with the reason."""
    permissions.require_coordinator(actor)
    to = {"accept": R.ACCEPTED, "more": R.INFO_REQUESTED, "decline": R.DECLINED}.get(decision)
    if to is None:
        raise ValidationError({"decision": _("Choose a decision.")})
    if to in (R.INFO_REQUESTED, R.DECLINED) and not note.strip():
        raise ValidationError({"note": _("Write the reason or what is needed; the municipality sees it.")})
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status != R.SUBMITTED:
            raise InvalidTransition(_("Only a submitted referral can be triaged."))
        _move(locked, to, actor)
        locked.municipality_note = note.strip()
        if to == R.DECLINED:
            locked.decline_reason = note.strip()
            locked.closed_at = timezone.now()
        locked.save()
        titles = {
            R.ACCEPTED: _(
                "Home-visit referral %(ref)s was accepted; a preliminary interview will be arranged"
            ),
            R.INFO_REQUESTED: _("Home-visit referral %(ref)s: more information is needed"),
            R.DECLINED: _("Home-visit referral %(ref)s was declined"),
        }
        _notify(
            active_members(locked.organization),
            title=titles[to] % {"ref": locked.reference},
            body=note.strip(),
            url=_referral_url(locked),
        )
    return locked


def interview_calendar_event(referral: VisitReferral) -> CalendarEvent:
    assert referral.interview_at is not None, "only a scheduled interview has a calendar entry"
    return CalendarEvent(
        uid=f"visit-interview-{referral.pk}@hikikomori-support-portal",
        start=referral.interview_at,
        end=referral.interview_at + dt.timedelta(hours=1),
        summary=_("Preliminary interview for home-visit referral %(ref)s") % {"ref": referral.reference},
        location=referral.interview_place,
        url=settings.SITE_URL + _referral_url(referral),
        sequence=referral.sequence,
    )


def referral_schedule_interview(
    *, actor, referral: VisitReferral, starts_at: dt.datetime, place: str
) -> VisitReferral:
    """事前面接: the date goes to the municipality's contacts with a calendar entry."""
    permissions.require_coordinator(actor)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the interview takes place.")})
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status == R.ACCEPTED:
            _move(locked, R.INTERVIEW, actor)
        elif locked.status == R.INTERVIEW:
            locked.sequence += 1
            locked.version += 1
        else:
            raise InvalidTransition(_("An interview is arranged for an accepted referral."))
        locked.interview_at, locked.interview_place = starts_at, place.strip()
        locked.save()
        ics = build_ics(interview_calendar_event(locked))
        for user in {u.pk: u for u in [locked.created_by, *active_members(locked.organization)]}.values():
            outbox.queue_templated_email(
                to=user.email,
                recipient=user,
                template="outreach/email/interview",
                context={"referral": locked, "url": _referral_url(locked)},
                attachments=[ics_attachment(ics, "interview.ics")],
            )
    return locked


def referral_interview_outcome(
    *, actor, referral: VisitReferral, visit: bool, note: str, for_municipality: str = ""
):
    """After the interview: visits begin, or the referral closes."""
    permissions.require_coordinator(actor)
    if not note.strip():
        raise ValidationError({"note": _("Write a short outcome of the interview.")})
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status != R.INTERVIEW:
            raise InvalidTransition(_("The interview has not been arranged."))
        if locked.interview_at and locked.interview_at > timezone.now():
            raise ValidationError(_("The outcome can be recorded once the interview has taken place."))
        _move(locked, R.VISITING if visit else R.CLOSED, actor)
        locked.interview_note = note.strip()
        locked.municipality_note = for_municipality.strip()
        if not visit:
            locked.closed_at = timezone.now()
        locked.save()
        _notify(
            active_members(locked.organization),
            title=(
                _("Home-visit referral %(ref)s: home visits will begin")
                if visit
                else _("Home-visit referral %(ref)s: no visits after the interview")
            )
            % {"ref": locked.reference},
            body=for_municipality.strip(),
            url=_referral_url(locked),
        )
    return locked


def visit_add(
    *, actor, referral: VisitReferral, visited_on: dt.date, staff: list, record: str, shared: bool
) -> HomeVisit:
    """A home visit: date, who went, a short record. Normally up to 5; more need a recorded extension."""
    permissions.require_coordinator(actor)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit is recorded after it took place.")})
    if not staff:
        raise ValidationError({"staff": _("Choose who went.")})
    if not record.strip():
        raise ValidationError({"record": _("Write a short record.")})
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status != R.VISITING:
            raise InvalidTransition(_("Visits are recorded once the interview decided to visit."))
        done = locked.visits.count()
        if done >= locked.visits_allowed:
            raise ValidationError(
                _("This would be visit %(n)d of %(max)d; record an extension first.")
                % {"n": done + 1, "max": locked.visits_allowed}
            )
        visit = HomeVisit.objects.create(
            referral=locked,
            number=done + 1,
            visited_on=visited_on,
            record=record.strip(),
            shared=shared,
            created_by=actor,
        )
        visit.staff.set(staff)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        audit.record(
            actor=actor,
            action="visit_referral.visit",
            obj=locked,
            details={"number": visit.number, "shared": shared},
        )
        if shared:
            _notify(
                active_members(locked.organization),
                title=_("Home-visit referral %(ref)s: a visit record was shared") % {"ref": locked.reference},
                url=_referral_url(locked),
            )
    return visit


def referral_extend(*, actor, referral: VisitReferral, reason: str, extra: int = 1) -> VisitReferral:
    permissions.require_coordinator(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for more visits.")})
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status != R.VISITING:
            raise InvalidTransition(_("Visits are recorded once the interview decided to visit."))
        locked.visits_allowed += extra
        locked.extension_reason = "\n".join(x for x in (locked.extension_reason, reason.strip()) if x)
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            action="visit_referral.extend",
            obj=locked,
            details={"allowed": locked.visits_allowed},
        )
    return locked


def referral_close(*, actor, referral: VisitReferral, note: str = "") -> VisitReferral:
    permissions.require_coordinator(actor)
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.status not in (R.VISITING, R.ACCEPTED, R.INTERVIEW):
            raise InvalidTransition(_("This referral cannot be closed now."))
        _move(locked, R.CLOSED, actor)
        if note.strip():
            locked.municipality_note = note.strip()
        locked.closed_at = timezone.now()
        locked.save()
        _notify(
            active_members(locked.organization),
            title=_("Home-visit referral %(ref)s was closed") % {"ref": locked.reference},
            body=note.strip(),
            url=_referral_url(locked),
        )
    return locked


# --- retention (registered with portal.core.purge in apps.py) -----------------------------------------

# Every free-text field of a referral: blanked by the purge (the reference, the dates, the counts,
# the ticked conditions and the statuses stay for the statistics).
REFERRAL_PURGED_FIELDS = [
    *REFERRAL_NARRATIVE_FIELDS,
    "municipality_note",
    "decline_reason",
    "extension_reason",
    "interview_place",
]


def purge_candidates(*, now=None):
    now = now or timezone.now()
    limit = now - relativedelta(years=settings.CASE_RETENTION_YEARS)
    return VisitReferral.objects.filter(
        status__in=[R.CLOSED, R.DECLINED], closed_at__lte=limit, purged_at__isnull=True
    )


def referral_purge(referral: VisitReferral, *, actor=None) -> VisitReferral:
    """After the retention period: the referral's text, its home-visit records, the kept passages
    of the guard, and every copy in notifications (coordinator notes), e-mails (the interview's
    calendar file included) and audit labels. Counts, dates and statuses remain."""
    with transaction.atomic():
        locked = _locked_referral(referral)
        if locked.purged_at is not None:
            return locked
        visits = list(locked.visits.all())
        texts = purge.texts_of(locked, REFERRAL_PURGED_FIELDS) + [v.record for v in visits if v.record]
        for name in REFERRAL_PURGED_FIELDS:
            setattr(locked, name, "")
        locked.purged_at = timezone.now()
        locked.save()
        locked.visits.update(record="")
        locked.pii_confirmations.all().delete()
        purge.clear_copies(texts=texts, urls=[_referral_url(locked)], objects=[locked, *visits])
        audit.record(actor=actor, action="visit_referral.purge", obj=locked, details={"visits": len(visits)})
    return locked


def purge_due_referrals(*, now=None) -> int:
    """The referrals past retention (the ``outreach.referral`` purge kind)."""
    return purge.run_kind("outreach.referral", now=now)


def referral_statistics(fiscal_year: int) -> dict[str, list[list]]:
    """Referrals per municipality and status, and home visits per municipality: counted by the
    database (two grouped queries, whatever the number of referrals)."""
    from collections import Counter

    from django.db.models import Count

    by_org: dict[str, Counter] = {}
    for name, status, n in (
        VisitReferral.objects.filter(fiscal_year=fiscal_year)
        .values_list("organization__name", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_org.setdefault(name, Counter())[status] += n
    statuses = list(R)
    visits = dict(
        HomeVisit.objects.filter(referral__fiscal_year=fiscal_year)
        .values_list("referral__organization__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "区市町村別": [
            [name, sum(c.values()), *[c[s] for s in statuses], visits.get(name, 0)]
            for name, c in sorted(by_org.items())
        ],
    }


def referral_stat_header() -> list[str]:
    return ["区市町村", "申込み件数", *[str(s.label) for s in R], "訪問回数"]
