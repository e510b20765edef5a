"""Every write of the talent bank: availability, holds, requests, confirmation, changes, records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jpholiday
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import ExpertProfile, Organization
from portal.accounts.permissions import is_coordinator, membership_in
from portal.accounts.selectors import coordinators
from portal.core import audit, capacity, outbox, pii, reminders
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import (
    add_business_days,
    display,
    fiscal_year_label,
    fiscal_year_of,
    is_business_day,
    wareki,
)
from portal.core.exceptions import StaleEdit
from portal.core.models import Reservation

from .models import (
    FIELDS,
    AvailabilityException,
    Consultation,
    ConsultationRecord,
    ExpertSchedule,
    Feedback,
    Quota,
    QuotaException,
)

__all__ = ["StaleEdit", "QuotaReached", "PersonalDataFound", "AlreadyRequested"]
C = Consultation.Status


class QuotaReached(ValidationError):
    pass


class AlreadyRequested(ValidationError):
    """The held slot was turned into a request already (the form was sent again): ``consultation``
    is that request. Nothing new is made and no quota is used."""

    def __init__(self, consultation: Consultation):
        super().__init__(_("This slot has already been requested. A slot can be requested only once."))
        self.consultation = consultation


PersonalDataFound = pii.PersonalDataFound


RESOURCE_PREFIX = "talent-bank-expert:"


def resource_key(expert_user_id: int) -> str:
    return f"{RESOURCE_PREFIX}{expert_user_id}"


_coordinators = coordinators


def _url(c: Consultation) -> str:
    return reverse("partners:consultation_detail", args=[c.pk])


# --- availability ----------------------------------------------------------------------------------


def schedule_for(expert: ExpertProfile) -> ExpertSchedule:
    schedule, _created = ExpertSchedule.objects.get_or_create(
        expert=expert, defaults={"formats": ["in_person", "online"]}
    )
    return schedule


def _closed_days(first: dt.date, last: dt.date) -> set[dt.date]:
    """Japanese holidays and the year-end closure between two days (both included): worked out once
    for every expert of a list, not once per expert and day."""
    closure = set(settings.YEAR_END_CLOSURE)
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return {d for d in days if (d.month, d.day) in closure or jpholiday.is_holiday(d)}


def _windows(day: dt.date, weekly, todays, closed_days) -> list[tuple[dt.time, dt.time]]:
    """The opening hours of one day: ``weekly`` hours of its weekday (not on a closed day), opened or
    closed by ``todays`` exceptions."""
    if any(e.kind == AvailabilityException.Kind.CLOSED and e.start is None for e in todays):
        return []
    # Weekly hours apply, except on Japanese holidays and the year-end closure unless opened below.
    windows = [] if day in closed_days else [(w.start, w.end) for w in weekly if w.weekday == day.weekday()]
    windows += [
        (e.start, e.end) for e in todays if e.kind == AvailabilityException.Kind.OPEN and e.start and e.end
    ]
    closed = [
        (e.start, e.end) for e in todays if e.kind == AvailabilityException.Kind.CLOSED and e.start and e.end
    ]
    out = []
    for start, end in windows:
        pieces = [(start, end)]
        for c_start, c_end in closed:
            next_pieces = []
            for p_start, p_end in pieces:
                if c_end <= p_start or c_start >= p_end:
                    next_pieces.append((p_start, p_end))
                    continue
                if p_start < c_start:
                    next_pieces.append((p_start, c_start))
                if c_end < p_end:
                    next_pieces.append((c_end, p_end))
            pieces = next_pieces
        out += pieces
    return out


def available_slots(
    expert: ExpertProfile, *, now=None, days: int | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Free consultation slots of one expert, from the minimum notice up to the horizon."""
    return slots_for_experts([expert], now=now, days=days)[expert.pk]


@dataclass
class _Availability:
    """What the free slots of several experts are worked out from, read in a fixed number of
    queries: their schedules with hours and exceptions, and the live reservations of all of them."""

    now: dt.datetime
    today: dt.date
    schedules: dict[int, ExpertSchedule]
    reservations: dict[int, list[Reservation]]

    @classmethod
    def of(cls, experts, *, now, days: int | None = None) -> _Availability:
        today = timezone.localtime(now).date()
        schedules = {
            sch.expert_id: sch
            for sch in ExpertSchedule.objects.filter(expert__in=experts).prefetch_related(
                "weekly", "exceptions"
            )
        }
        longest = max([days if days is not None else sch.horizon_days for sch in schedules.values()] or [0])
        keys = {resource_key(e.user_id): e.pk for e in experts}
        reservations: dict[int, list[Reservation]] = {e.pk: [] for e in experts}
        for r in capacity.live(
            Reservation.objects.filter(
                resource__key__in=keys, ends_at__gte=now, starts_at__lte=now + dt.timedelta(days=longest + 1)
            ).select_related("resource")
        ):
            reservations[keys[r.resource.key]].append(r)
        return cls(now=now, today=today, schedules=schedules, reservations=reservations)

    def last_day(self) -> dt.date:
        """The furthest day any of the experts can be booked for."""
        return max(
            [self.today + dt.timedelta(days=s.horizon_days) for s in self.schedules.values()] or [self.today]
        )

    def slots(
        self, experts, *, days: int | None = None, first: dt.date | None = None, last: dt.date | None = None
    ) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
        """Free slots of each expert from today (or ``first``) up to their horizon (or ``days``, or
        ``last`` if sooner)."""
        first = max(first or self.today, self.today)
        horizons = {
            pk: min(days, s.horizon_days) if days is not None else s.horizon_days
            for pk, s in self.schedules.items()
        }
        ends = {pk: self.today + dt.timedelta(days=h) for pk, h in horizons.items()}
        if last is not None:
            ends = {pk: min(end, last) for pk, end in ends.items()}
        closed_days = (
            _closed_days(first, max(ends.values())) if ends and first <= max(ends.values()) else set()
        )
        out: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        for expert in experts:
            schedule = self.schedules.get(expert.pk)
            if schedule is None:  # no hours set yet: nothing to offer (and a read never creates rows)
                out[expert.pk] = []
                continue
            out[expert.pk] = _free_slots(
                schedule,
                self.reservations[expert.pk],
                now=self.now,
                first=first,
                last=ends[expert.pk],
                closed_days=closed_days,
            )
        return out


def slots_for_experts(
    experts, *, now=None, days: int | None = None
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Free slots of several experts at once, in a fixed number of queries (schedules with their
    hours and exceptions, and the live reservations of all of them)."""
    experts = list(experts)
    availability = _Availability.of(experts, now=now or timezone.now(), days=days)
    return availability.slots(experts, days=days)


def _free_slots(schedule, reservations, *, now, first, last, closed_days):
    tz = timezone.get_current_timezone()
    length = dt.timedelta(minutes=schedule.slot_minutes)
    buffer = dt.timedelta(minutes=schedule.buffer_minutes)
    earliest = now + dt.timedelta(hours=schedule.min_notice_hours)
    busy = [(r.starts_at - buffer, r.ends_at + buffer) for r in reservations]
    weekly = list(schedule.weekly.all())
    exceptions: dict[dt.date, list[AvailabilityException]] = {}
    for e in schedule.exceptions.all():
        if first <= e.date <= last:
            exceptions.setdefault(e.date, []).append(e)
    slots = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        for w_start, w_end in _windows(day, weekly, exceptions.get(day, ()), closed_days):
            start = dt.datetime.combine(day, w_start, tzinfo=tz)
            end_of_window = dt.datetime.combine(day, w_end, tzinfo=tz)
            while start + length <= end_of_window:
                end = start + length
                if start >= earliest and not any(b_start < end and start < b_end for b_start, b_end in busy):
                    slots.append((start, end))
                start = end + buffer
    return slots


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class FreeSlot:
    """One free slot as the picker shows it: the expert, the times, and what the page writes
    (worked out once here rather than through several template lookups and filters per slot)."""

    expert: ExpertProfile
    start: dt.datetime
    end: dt.datetime
    name: str

    @property
    def label(self) -> str:
        return f"{display(self.start, 'time')}–{display(self.end, 'time')}"


@dataclass(frozen=True)
class SlotWeek:
    """The free slots of one week (Monday to Sunday), grouped by day, for the slot picker."""

    start: dt.date
    days: list[tuple[dt.date, list[FreeSlot]]]
    previous: dt.date | None  # the previous week's Monday, when it can still hold slots
    next: dt.date | None  # the next week's Monday, when it is inside some expert's horizon


def slot_week(experts, *, week: dt.date | None = None, now=None) -> SlotWeek:
    """Free slots of ``experts`` in the week of ``week``; without a week, the first week that has a
    free slot (or this week). Only the slots of the week shown are worked out (and, to find the
    first week with a free slot, those of the weeks before it)."""
    now = now or timezone.now()
    experts = list(experts)
    availability = _Availability.of(experts, now=now)
    today, last = availability.today, availability.last_day()
    this_week = week_start_of(today)

    def slots_in(monday: dt.date) -> list:
        slots = availability.slots(experts, first=monday, last=monday + dt.timedelta(days=6))
        return sorted(
            ((start, e.user.get_full_name(), e, end) for e in experts for start, end in slots[e.pk]),
            key=lambda row: (row[0], row[1]),
        )

    if week is None:
        week, flat = this_week, []
        probe = this_week
        while probe <= last:
            found = slots_in(probe)
            if found:
                week, flat = probe, found
                break
            probe += dt.timedelta(days=7)
    else:
        week = max(week_start_of(week), this_week)
        flat = slots_in(week)
    by_day: dict[dt.date, list] = {}
    for start, name, expert, end in flat:
        by_day.setdefault(timezone.localtime(start).date(), []).append(FreeSlot(expert, start, end, name))
    return SlotWeek(
        start=week,
        days=sorted(by_day.items()),
        previous=week - dt.timedelta(days=7) if week > this_week else None,
        next=week + dt.timedelta(days=7) if week + dt.timedelta(days=7) <= last else None,
    )


PREFERRED_NOTICE_BUSINESS_DAYS = 2


def earliest_preferred_date(today: dt.date | None = None) -> dt.date:
    """The first day that may be asked for: the secretariat needs two business days to arrange it."""
    return add_business_days(today or timezone.localdate(), PREFERRED_NOTICE_BUSINESS_DAYS)


def preferred_date_problem(day: dt.date, *, today: dt.date | None = None) -> str | None:
    """Why ``day`` cannot be a preferred date (a sentence saying which dates can), or None."""
    earliest = earliest_preferred_date(today)
    if day >= earliest and is_business_day(day):
        return None
    return _(
        "Choose a weekday from %(earliest)s on (at least %(n)d business days ahead; not Saturdays, "
        "Sundays, public holidays or the year-end closure)."
    ) % {"earliest": wareki(earliest, weekday=True), "n": PREFERRED_NOTICE_BUSINESS_DAYS}


def slot_is_offered(expert: ExpertProfile, starts_at: dt.datetime) -> bool:
    return any(
        s == starts_at
        for s, _e in available_slots(
            expert, days=(timezone.localtime(starts_at).date() - timezone.localdate()).days + 1
        )
    )


def hold_slot(*, actor, expert: ExpertProfile, starts_at: dt.datetime) -> Reservation:
    """Hold a picked slot for a few minutes while the request form is completed."""
    if not slot_is_offered(expert, starts_at):
        raise capacity.Full
    schedule = schedule_for(expert)
    return capacity.hold(
        key=resource_key(expert.user_id),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=schedule.slot_minutes),
        holder=actor,
    )


# --- quota -----------------------------------------------------------------------------------------


def quota_limit(organization, field: str, fiscal_year: int) -> int:
    row = Quota.objects.filter(fiscal_year=fiscal_year, field=field).first()
    base = row.limit if row else settings.TALENT_BANK_DEFAULT_QUOTA
    extra = (
        QuotaException.objects.filter(
            organization=organization, field=field, fiscal_year=fiscal_year
        ).aggregate(n=Sum("extra"))["n"]
        or 0
    )
    return base + extra


def quota_used(organization, field: str, fiscal_year: int) -> int:
    return Consultation.objects.filter(
        organization=organization,
        field=field,
        fiscal_year=fiscal_year,
        status__in=Consultation.QUOTA_STATUSES,
    ).count()


def quota_grant_exception(*, actor, organization, field: str, fiscal_year: int, extra: int, reason: str):
    if not is_coordinator(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give the reason for the exception."))
    with transaction.atomic():
        row = QuotaException.objects.create(
            organization=organization,
            field=field,
            fiscal_year=fiscal_year,
            extra=extra,
            reason=reason.strip(),
            granted_by=actor,
        )
        audit.record(
            actor=actor,
            action="talent_bank.quota_exception",
            obj=row,
            organization=organization,
            details={"field": field, "extra": extra},
        )
    return row


# --- requests ----------------------------------------------------------------------------------------


def finding_key(finding) -> str:
    return pii.finding_key("description", finding)


def request_create(
    *,
    actor,
    organization: Organization,
    field: str,
    topic: str,
    description: str,
    fmt: str,
    attendees,
    hold: Reservation | None = None,
    expert: ExpertProfile | None = None,
    preferred_dates=(),
    confirmed: set[str] | frozenset[str] = frozenset(),
) -> Consultation:
    if organization.kind != Organization.Kind.PARTNER:
        raise PermissionDenied
    if not organization.is_active:
        raise ValidationError(_("Your organisation is not active and cannot request consultations."))
    if membership_in(actor, organization.pk) is None:
        raise PermissionDenied
    findings = [f for f in pii.scan(description) if finding_key(f) not in confirmed]
    if findings:
        raise PersonalDataFound(findings)
    if hold is None and len([d for d in preferred_dates if d]) == 0:
        raise ValidationError(_("Pick a free slot, or give up to three preferred dates."))
    if hold is None:
        for day in (d for d in preferred_dates if d):
            problem = preferred_date_problem(day)
            if problem:
                raise ValidationError(problem)
    if hold is not None and hold.holder_id != actor.pk:
        raise PermissionDenied
    if hold is not None:
        expert = expert_of_hold(hold)
    if expert is not None:
        # The field is the expert's discipline, never what was typed: the quota counts what is used.
        field = expert.talent_bank_discipline
    fy = fiscal_year_of()
    for user in attendees:
        if membership_in(user, organization.pk) is None:
            raise ValidationError(_("Attendees must be staff of your organisation."))
    with transaction.atomic():
        # Serialise requests of one organisation so that the quota cannot be overrun by two at once.
        Organization.objects.select_for_update().get(pk=organization.pk)
        if hold is not None:
            _refuse_a_second_request(hold)
        if quota_used(organization, field, fy) >= quota_limit(organization, field, fy):
            raise QuotaReached(
                _(
                    "Your organisation has used all %(n)d consultations in this field for %(year)s. "
                    "Ask the secretariat if you need an exception."
                )
                % {"n": quota_limit(organization, field, fy), "year": fiscal_year_label(fy)}
            )
        consultation = Consultation(
            organization=organization,
            fiscal_year=fy,
            field=field,
            topic=topic,
            description=description,
            format=fmt,
            requested_by=actor,
            preferred_dates=[d.isoformat() for d in preferred_dates if d],
        )
        if hold is not None:
            try:
                reservation = capacity.book(hold)  # raises HoldExpired when the slot is gone
            except capacity.AlreadyBooked as exc:  # a request sent at the same moment booked it first
                _refuse_a_second_request(hold)
                raise capacity.HoldExpired from exc
            consultation.reservation = reservation
            consultation.starts_at, consultation.ends_at = reservation.starts_at, reservation.ends_at
        if expert is not None:
            consultation.expert = expert.user
        try:
            with transaction.atomic():
                consultation.save()
        except IntegrityError:  # the database's own guard: one reservation, one consultation
            if hold is not None:
                _refuse_a_second_request(hold)
            raise
        consultation.attendees.set(attendees)
        audit.record(actor=actor, action="talent_bank.request", obj=consultation)
        for user in _coordinators():
            outbox.notify(
                user=user,
                title=_("New talent-bank request from %(org)s") % {"org": organization},
                url=_url(consultation),
            )
        if settings.TALENT_BANK_AUTO_CONFIRM and consultation.reservation_id:
            _confirm(consultation, actor)
    return consultation


def expert_of_hold(hold: Reservation) -> ExpertProfile:
    """The talent-bank expert whose slot ``hold`` is (their discipline is the request's field)."""
    key = hold.resource.key
    profile = (
        ExpertProfile.objects.select_related("user")
        .filter(
            user_id=int(key.removeprefix(RESOURCE_PREFIX)),
            talent_bank_discipline__in=[f for f, _l in FIELDS],
        )
        .first()
        if key.startswith(RESOURCE_PREFIX)
        else None
    )
    if profile is None:
        raise ValidationError(_("This slot is no longer offered. Choose another one."))
    return profile


def _refuse_a_second_request(hold: Reservation) -> None:
    existing = Consultation.objects.filter(reservation_id=hold.pk).first()
    if existing is not None:
        raise AlreadyRequested(existing)


def _event(c: Consultation) -> CalendarEvent:
    assert c.starts_at is not None and c.ends_at is not None  # noqa: S101 (only booked consultations have events)
    return CalendarEvent(
        uid=f"talent-bank-{c.pk}@hikikomori-portal",
        start=c.starts_at,
        end=c.ends_at,
        summary=f"専門職人材バンク 相談（{c.get_field_display()}）{c.organization}",
        description=c.topic,
        location=c.get_format_display(),
        url=settings.SITE_URL + _url(c),
        sequence=c.sequence,
        cancelled=c.status in (C.CANCELLED, C.DECLINED),
        attendees=[(u.email, str(u)) for u in c.attendees.all()],
    )


def _tell_everyone(c: Consultation, template: str) -> None:
    people = list(c.attendees.all())
    if c.expert is not None:
        people.append(c.expert)
    ics = build_ics(_event(c)) if c.starts_at else None
    for user in {u.pk: u for u in people}.values():
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template=template,
            context={"c": c, "day": wareki(c.starts_at, weekday=True) if c.starts_at else "", "url": _url(c)},
            attachments=[ics_attachment(ics, "consultation.ics")] if ics else None,
        )


def _confirm(c: Consultation, actor) -> Consultation:
    c.status = C.CONFIRMED
    c.version += 1
    c.save()
    audit.record(actor=actor, action="talent_bank.confirm", obj=c)
    _tell_everyone(c, "partners/email/confirmed")
    return c


def consultation_confirm(
    *,
    actor,
    consultation: Consultation,
    expert: ExpertProfile | None = None,
    starts_at: dt.datetime | None = None,
) -> Consultation:
    """Confirm the held slot, or (for a request with preferred dates) book the given expert and time."""
    if not is_coordinator(actor):
        raise PermissionDenied
    with transaction.atomic():
        c = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("organization", "reservation")
            .get(pk=consultation.pk)
        )
        if c.status != C.REQUESTED:
            raise ValidationError(_("Only a requested consultation can be confirmed."))
        if c.reservation is not None and c.reservation.status != Reservation.Status.BOOKED:
            raise ValidationError(
                _("The slot of this request is no longer reserved; it cannot be confirmed.")
            )
        if c.reservation_id is None:
            if expert is None or starts_at is None:
                raise ValidationError(_("Choose the expert and the time."))
            schedule = schedule_for(expert)
            reservation = capacity.book(
                capacity.hold(
                    key=resource_key(expert.user_id),
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=schedule.slot_minutes),
                    holder=actor,
                )
            )
            c.reservation, c.expert = reservation, expert.user
            c.starts_at, c.ends_at = reservation.starts_at, reservation.ends_at
        return _confirm(c, actor)


def consultation_decline(*, actor, consultation: Consultation, reason: str) -> Consultation:
    if not is_coordinator(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    with transaction.atomic():
        c = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        if c.status not in (C.REQUESTED,):
            raise ValidationError(_("Only a requested consultation can be declined."))
        if c.reservation is not None:
            capacity.release(c.reservation)
        c.status, c.decline_reason = C.DECLINED, reason.strip()
        c.version += 1
        c.save()
        audit.record(actor=actor, action="talent_bank.decline", obj=c)
        for user in c.attendees.all():
            outbox.notify(
                user=user,
                title=_("Your talent-bank request could not be arranged"),
                body=reason.strip(),
                url=_url(c),
            )
    return c


def change_deadline(c: Consultation) -> dt.date | None:
    """The organisation may cancel or reschedule until two business days before."""
    if c.starts_at is None:
        return None
    return add_business_days(timezone.localtime(c.starts_at).date(), -2)


def can_change(actor, c: Consultation, *, today: dt.date | None = None) -> bool:
    if is_coordinator(actor):
        return True
    if membership_in(actor, c.organization_id) is None:
        return False
    deadline = change_deadline(c)
    return deadline is None or (today or timezone.localdate()) <= deadline


def consultation_cancel(*, actor, consultation: Consultation, today: dt.date | None = None) -> Consultation:
    with transaction.atomic():
        c = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        if c.status not in (C.REQUESTED, C.CONFIRMED):
            raise ValidationError(_("This consultation can no longer be cancelled."))
        if not can_change(actor, c, today=today):
            raise ValidationError(
                _(
                    "From two business days before, only the secretariat can cancel. "
                    "Please call the secretariat."
                )
            )
        if c.reservation is not None:
            capacity.release(c.reservation)
        c.status = C.CANCELLED
        c.sequence += 1
        c.version += 1
        c.save()
        audit.record(actor=actor, action="talent_bank.cancel", obj=c)
        if c.starts_at:
            _tell_everyone(c, "partners/email/cancelled")
    return c


def consultation_reschedule(
    *, actor, consultation: Consultation, starts_at: dt.datetime, today: dt.date | None = None
) -> Consultation:
    with transaction.atomic():
        c = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("reservation__resource")
            .get(pk=consultation.pk)
        )
        if c.status not in (C.REQUESTED, C.CONFIRMED) or c.reservation is None:
            raise ValidationError(_("This consultation cannot be moved."))
        if not can_change(actor, c, today=today):
            raise ValidationError(_("From two business days before, only the secretariat can reschedule."))
        expert = ExpertProfile.objects.get(user=c.expert)
        if not is_coordinator(actor) and not slot_is_offered(expert, starts_at):
            raise capacity.Full
        length = c.reservation.ends_at - c.reservation.starts_at
        c.reservation = capacity.move(c.reservation, starts_at=starts_at, ends_at=starts_at + length)
        c.starts_at, c.ends_at = c.reservation.starts_at, c.reservation.ends_at
        c.sequence += 1
        c.version += 1
        c.reminders_sent = []
        c.save()
        audit.record(actor=actor, action="talent_bank.reschedule", obj=c)
        _tell_everyone(c, "partners/email/changed")
    return c


def consultation_no_show(*, actor, consultation: Consultation) -> Consultation:
    if not is_coordinator(actor):
        raise PermissionDenied
    with transaction.atomic():
        c = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        if c.status != C.CONFIRMED:
            raise ValidationError(_("Only a confirmed consultation can be recorded as a no-show."))
        c.status = C.NO_SHOW
        c.save(update_fields=["status"])
        audit.record(actor=actor, action="talent_bank.no_show", obj=c)
    return c


def record_write(
    *, actor, consultation: Consultation, summary: str, private_notes: str, now=None
) -> ConsultationRecord:
    """The expert's record, once the consultation has begun (it completes the consultation and
    opens the partner's rating: neither can come before the consultation)."""
    if consultation.expert_id != actor.pk:
        raise PermissionDenied
    if not summary.strip():
        raise ValidationError(_("Write the advice summary."))
    with transaction.atomic():
        c = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
        if c.status not in (C.CONFIRMED, C.COMPLETED):
            raise ValidationError(_("A record can be written for a confirmed consultation."))
        if not c.has_started(now):
            raise ValidationError(
                _("The record can be written once the consultation has begun (%(when)s).")
                % {"when": display(c.starts_at) if c.starts_at else ""}
            )
        record, _created = ConsultationRecord.objects.update_or_create(
            consultation=c,
            defaults={
                "summary": summary.strip(),
                "private_notes": private_notes.strip(),
                "written_by": actor,
            },
        )
        if c.status == C.CONFIRMED:
            c.status = C.COMPLETED
            c.save(update_fields=["status"])
        audit.record(actor=actor, action="talent_bank.record", obj=c)
        for user in c.attendees.all():
            outbox.notify(user=user, title=_("The expert's advice summary is ready"), url=_url(c))
    return record


def feedback_give(*, actor, consultation: Consultation, rating: int, comment: str = "") -> Feedback:
    if membership_in(actor, consultation.organization_id) is None:
        raise PermissionDenied
    if consultation.status != C.COMPLETED:
        raise ValidationError(_("Feedback can be given after the consultation."))
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(
            consultation=consultation,
            defaults={"rating": rating, "comment": comment.strip(), "given_by": actor},
        )
        audit.record(actor=actor, action="talent_bank.feedback", obj=consultation, details={"rating": rating})
    return feedback


def send_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    schedule = ((3, "d3"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    for c in Consultation.objects.filter(
        status=C.CONFIRMED, starts_at__date__gte=first, starts_at__date__lte=last
    ):
        with transaction.atomic():
            locked = Consultation.objects.select_for_update(of=("self",)).get(pk=c.pk)
            reminder = reminders.due(
                schedule, day=timezone.localdate(locked.starts_at), today=today, sent=locked.reminders_sent
            )
            if reminder is None:
                continue
            _tag, _days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            _tell_everyone(locked, "partners/email/reminder")
            sent += 1
    return sent


# --- experts' availability ---------------------------------------------------------------------------


def availability_save(*, actor, schedule: ExpertSchedule, form_name: str, data: dict) -> object:
    if schedule.expert.user_id != actor.pk and not is_coordinator(actor):
        raise PermissionDenied
    with transaction.atomic():
        if form_name == "schedule":
            for name, value in data.items():
                setattr(schedule, name, value)
            schedule.version += 1
            schedule.save()
            row: object = schedule
        elif form_name == "weekly":
            from .models import WeeklyHours

            row = WeeklyHours.objects.create(schedule=schedule, **data)
        else:
            row = AvailabilityException.objects.create(schedule=schedule, **data)
        audit.record(actor=actor, action=f"talent_bank.availability.{form_name}", obj=schedule)
    return row


def availability_delete(*, actor, row) -> None:
    if row.schedule.expert.user_id != actor.pk and not is_coordinator(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit.record(actor=actor, action="talent_bank.availability.delete", obj=row.schedule)
        row.delete()
