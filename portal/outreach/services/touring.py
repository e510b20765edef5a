"""巡回相談: plans, hosts and days, slot bookings, records and the bookings' retention."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator
from portal.accounts.selectors import active_members, coordinators
from portal.core import audit, capacity, outbox, pii, purge, reminders, waitlist
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import display, fiscal_year_label, fiscal_year_of
from portal.core.exceptions import InvalidTransition, StaleEdit

from .. import permissions
from ..models import (
    BOOKING_TEXT_FIELDS,
    BookingConfirmation,
    OutreachDay,
    OutreachHost,
    OutreachPlan,
    OutreachSlot,
    SlotBooking,
)
from ._common import (
    DEFAULT_BREAK_MINUTES,
    DEFAULT_SLOT_MINUTES,
    DEFAULT_SLOTS,
    DEFAULT_START,
    B,
    H,
    SlotTaken,
    _confirm_findings,
    _host_url,
    _notify,
)

# --- plans, hosts and days ---------------------------------------------------------------------------


def plan_create(*, actor, fiscal_year: int) -> OutreachPlan:
    permissions.require_coordinator(actor)
    with transaction.atomic():
        plan, created = OutreachPlan.objects.get_or_create(
            fiscal_year=fiscal_year, defaults={"created_by": actor}
        )
        if created:
            audit.record(actor=actor, action="outreach.plan_create", obj=plan)
    return plan


def slot_times(day: dt.date, start: dt.time, count: int, minutes: int, gap: int) -> list[tuple]:
    first = timezone.make_aware(dt.datetime.combine(day, start))
    return [
        (
            first + dt.timedelta(minutes=n * (minutes + gap)),
            first + dt.timedelta(minutes=n * (minutes + gap) + minutes),
        )
        for n in range(count)
    ]


def _make_slots(day: OutreachDay, start: dt.time, count: int, minutes: int, gap: int) -> None:
    times = slot_times(day.date, start, count, minutes, gap)
    OutreachSlot.objects.bulk_create(
        [OutreachSlot(day=day, number=n, starts_at=s, ends_at=e) for n, (s, e) in enumerate(times, start=1)]
    )
    day.starts_at, day.ends_at = times[0][0], times[-1][1]


def host_add(*, actor, plan: OutreachPlan, organization: Organization, dates: list[dt.date]) -> OutreachHost:
    """A host municipality with its days (two by default), each with 6 × 45-minute slots."""
    permissions.require_coordinator(actor)
    if organization.kind != Organization.Kind.MUNICIPALITY:
        raise ValidationError({"organization": _("Choose a municipality.")})
    if len(set(dates)) != len(dates) or not dates:
        raise ValidationError({"date_2": _("Give two different dates.")})
    for day in dates:
        if fiscal_year_of(day) != plan.fiscal_year:
            raise ValidationError({"date_1": _("Both dates must fall in the plan's fiscal year.")})
    with transaction.atomic():
        if OutreachHost.objects.filter(plan=plan, organization=organization).exists():
            raise ValidationError({"organization": _("This municipality is already a host this year.")})
        host = OutreachHost.objects.create(plan=plan, organization=organization)
        for day in sorted(dates):
            d = OutreachDay(host=host, date=day, starts_at=timezone.now(), ends_at=timezone.now())
            d.save()
            _make_slots(d, DEFAULT_START, DEFAULT_SLOTS, DEFAULT_SLOT_MINUTES, DEFAULT_BREAK_MINUTES)
            d.save(update_fields=["starts_at", "ends_at"])
        audit.record(actor=actor, action="outreach.host_add", obj=host)
        _notify(
            active_members(organization),
            title=_("Touring consultation %(fy)s: please confirm the facility and the dates")
            % {"fy": fiscal_year_label(plan.fiscal_year)},
            url=_host_url(host),
        )
    return host


HOST_FIELDS = [
    "facility_name",
    "facility_address",
    "room",
    "access",
    "barrier_free",
    "contact_name",
    "contact_department",
    "contact_phone",
    "application_deadline",
    "date_proposal",
]


# What puts people in another place: a change of these after publishing reaches everyone booked.
FACILITY_FIELDS = ["facility_name", "facility_address", "room", "access", "barrier_free"]


def _send_facility_change(actor, host: OutreachHost, before: dict, changed: list[str]) -> int:
    """Letters to everyone a change of the published facility concerns on the days still ahead
    that have bookings: the booking municipalities' staff and the day's Support Net staff. Each day's
    calendar entry goes up one SEQUENCE and is attached with the new place (same time)."""
    changes = [
        {
            # FACILITY_FIELDS are concrete fields of the host, so get_field returns a Field
            "label": OutreachHost._meta.get_field(name).verbose_name,  # type: ignore[union-attr]
            "before": before[name] or "—",
            "after": getattr(host, name) or "—",
        }
        for name in FACILITY_FIELDS
        if name in changed
    ]
    per_person: dict[int, tuple] = {}
    days = host.days.filter(ends_at__gt=timezone.now(), bookings__status__in=[B.CONFIRMED, B.WAITLISTED])
    for day in days.distinct().order_by("date"):
        day.sequence += 1
        day.save(update_fields=["sequence"])
        for user in _involved(day):
            if user.pk != actor.pk:
                per_person.setdefault(user.pk, (user, []))[1].append(day)
    for user, user_days in per_person.values():
        outbox.notify(
            user=user,
            title=_("The place of the touring consultation in %(org)s has changed")
            % {"org": host.organization},
            url=_host_url(host),
            email=False,
        )
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template="outreach/email/facility",
            context={"host": host, "days": user_days, "changes": changes, "url": _host_url(host)},
            attachments=[
                ics_attachment(build_ics(*[day_calendar_event(d) for d in user_days]), "outreach.ics")
            ],
        )
    return len(per_person)


def host_save(
    *, actor, host: OutreachHost, data: dict, based_on_version: int, agree: bool = False
) -> OutreachHost:
    """The host municipality (or a coordinator) fills in the facility, contact and deadline, and
    agrees, or proposes other dates. A stale save is refused and nothing is written. A change of the
    facility once published is sent to the municipalities that booked (``_send_facility_change``)."""
    with transaction.atomic():
        locked = (
            OutreachHost.objects.select_for_update().select_related("organization", "plan").get(pk=host.pk)
        )
        if not permissions.can_edit_host(actor, locked):
            raise PermissionDenied
        if locked.status in (H.HELD, H.REPORTED):
            raise ValidationError(
                _("The consultation days have been held; the details can no longer change.")
            )
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        changed = [n for n in HOST_FIELDS if n in data and getattr(locked, n) != data[n]]
        before = {n: getattr(locked, n) for n in changed}
        for name in changed:
            setattr(locked, name, data[name])
        if agree:
            errors = {}
            for name in ("facility_name", "facility_address", "contact_name", "application_deadline"):
                if not getattr(locked, name):
                    errors[name] = _("Fill this in before agreeing.")
            first_day = locked.days.order_by("date").values_list("date", flat=True).first()
            if locked.application_deadline and first_day and locked.application_deadline >= first_day:
                errors["application_deadline"] = _("The deadline must be before the first day.")
            if errors:
                raise ValidationError(errors)
            if locked.status == H.PROPOSED:
                locked.status = H.AGREED
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor, action="outreach.host_save", obj=locked, details={"changed": changed, "agree": agree}
        )
        others = (
            coordinators()
            if permissions.is_host_staff(actor, locked)
            else active_members(locked.organization)
        )
        title = (
            _("%(org)s agreed to the touring consultation days")
            if agree
            else _("%(org)s updated the touring consultation details")
        ) % {"org": locked.organization}
        if "date_proposal" in changed and locked.date_proposal:
            title = _("%(org)s proposed other dates for the touring consultation") % {
                "org": locked.organization
            }
        _notify([u for u in others if u.pk != actor.pk], title=title, url=_host_url(locked))
        if locked.status == H.PUBLISHED and any(n in FACILITY_FIELDS for n in changed):
            _send_facility_change(actor, locked, before, changed)
    return locked


def _transition_host(actor, host, frm, to, action):
    permissions.require_coordinator(actor)
    locked = OutreachHost.objects.select_for_update().select_related("organization").get(pk=host.pk)
    if locked.status != frm:
        raise InvalidTransition(
            _("This step is not possible in the state “%(state)s”.") % {"state": locked.get_status_display()}
        )
    locked.status = to
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit.record(actor=actor, action=action, obj=locked, details={"from": frm, "to": to})
    return locked


def host_publish(*, actor, host: OutreachHost) -> OutreachHost:
    """Agreed → published: the public entry and the flyer appear, municipalities can book."""
    with transaction.atomic():
        locked = _transition_host(actor, host, H.AGREED, H.PUBLISHED, "outreach.host_publish")
        _notify(
            active_members(locked.organization),
            title=_("The touring consultation days in %(org)s are published; the flyer is ready")
            % {"org": locked.organization},
            url=_host_url(locked),
        )
    return locked


def host_mark_held(*, actor, host: OutreachHost, now=None) -> OutreachHost:
    now = now or timezone.now()
    if host.days.filter(ends_at__gt=now).exists():
        raise ValidationError(_("The days can be marked as held once the last one is over."))
    with transaction.atomic():
        locked = _transition_host(actor, host, H.PUBLISHED, H.HELD, "outreach.host_held")
        locked.days.update(held_at=now)
    return locked


def host_report(*, actor, host: OutreachHost) -> OutreachHost:
    missing = SlotBooking.objects.filter(day__host=host, status=B.CONFIRMED, outcome="").count()
    if missing:
        raise ValidationError(
            _("%(n)d booked slots have no record yet; record every slot first.") % {"n": missing}
        )
    with transaction.atomic():
        return _transition_host(actor, host, H.HELD, H.REPORTED, "outreach.host_reported")


def _involved(day: OutreachDay) -> list:
    """Everyone a change of the day concerns: its staff, the host's staff, the booking municipalities."""
    people = list(day.staff.all()) + active_members(day.host.organization)
    org_ids = set(day.bookings.exclude(status=B.CANCELLED).values_list("organization_id", flat=True))
    for org in Organization.objects.filter(pk__in=org_ids):
        people += active_members(org)
    return people


def day_calendar_event(day: OutreachDay, *, attendees=()) -> CalendarEvent:
    host = day.host
    place = "、".join(x for x in (host.facility_name, host.room, host.facility_address) if x)
    return CalendarEvent(
        uid=f"outreach-day-{day.pk}@hikikomori-support-portal",
        start=day.starts_at,
        end=day.ends_at,
        summary=_("Touring consultation in %(org)s") % {"org": host.organization},
        location=place,
        url=settings.SITE_URL + _host_url(host),
        sequence=day.sequence,
        attendees=[(u.email, str(u)) for u in attendees],
    )


def day_update(
    *,
    actor,
    day: OutreachDay,
    based_on_version: int,
    start: dt.time,
    slot_count: int,
    slot_minutes: int,
    break_minutes: int,
    staff: list,
) -> OutreachDay:
    """Times, slots and the two staff of a day. Slots are laid out again only while none is booked;
    a change of time notifies everyone involved with an updated calendar entry."""
    permissions.require_coordinator(actor)
    if any(not is_coordinator(u) for u in staff):
        raise ValidationError({"staff": _("Choose staff of the Support Net.")})
    with transaction.atomic():
        locked = OutreachDay.objects.select_for_update().select_related("host__organization").get(pk=day.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        new_times = slot_times(locked.date, start, slot_count, slot_minutes, break_minutes)
        old_times = list(locked.slots.values_list("starts_at", "ends_at"))
        moved = new_times != old_times
        if moved:
            if locked.bookings.filter(status__in=[B.CONFIRMED, B.WAITLISTED]).exists():
                raise ValidationError(
                    _("Slots already have bookings; cancel them before changing the times of the day.")
                )
            # Cancelled bookings keep their day but let go of the slots laid out again (their slot
            # is protected: deleting it under them answered a server error).
            locked.bookings.filter(status=B.CANCELLED, slot__isnull=False).update(slot=None)
            locked.slots.all().delete()
            _make_slots(locked, start, slot_count, slot_minutes, break_minutes)
            locked.sequence += 1
        locked.version += 1
        locked.save()
        locked.staff.set(staff)
        audit.record(
            actor=actor,
            action="outreach.day_update",
            obj=locked.host,
            details={"day": locked.pk, "moved": moved},
        )
        if moved and locked.host.status != H.PROPOSED:
            ics = build_ics(day_calendar_event(locked))
            for user in {u.pk: u for u in _involved(locked)}.values():
                outbox.notify(
                    user=user,
                    title=_("The touring consultation day in %(org)s has changed")
                    % {"org": locked.host.organization},
                    url=_host_url(locked.host),
                    email=False,
                )
                outbox.queue_templated_email(
                    to=user.email,
                    recipient=user,
                    template="outreach/email/day",
                    context={
                        "day": locked,
                        "host": locked.host,
                        "changed": True,
                        "url": _host_url(locked.host),
                    },
                    attachments=[ics_attachment(ics, "outreach.ics")],
                )
    return locked


# --- bookings ---------------------------------------------------------------------------------------


def _place(slot: OutreachSlot) -> waitlist.Place:
    return waitlist.Place(key=slot.capacity_key, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=1)


BOOKING_FIELDS = ["initial", "relationship", "age_band", "resident_municipality", "contact_route", "topic"]


def booking_create(
    *,
    actor,
    organization: Organization,
    day: OutreachDay,
    slot: OutreachSlot | None,
    data: dict,
    confirmed=frozenset(),
) -> SlotBooking:
    """Book a slot for a resident, or (``slot=None``) put them on the day's waiting list.

    The capacity engine takes the slot under a row lock, and a partial unique index backs it, so
    two municipalities can never both book one slot. The text passes the personal-data guard."""
    if not permissions.can_book(actor, day) or permissions.membership_in_org(actor, organization) is None:
        raise PermissionDenied
    if day.starts_at <= timezone.now():
        raise ValidationError(_("This day has begun; it can no longer be booked."))
    if slot is not None and slot.day_id != day.pk:
        raise ValidationError({"slot": _("Choose a slot of this day.")})
    findings = _confirm_findings({n: str(data.get(n) or "") for n in BOOKING_TEXT_FIELDS}, confirmed)
    with transaction.atomic():
        OutreachDay.objects.select_for_update().get(pk=day.pk)
        booking = SlotBooking(day=day, organization=organization, booked_by=actor)
        for name in BOOKING_FIELDS:
            setattr(booking, name, data[name])
        if slot is None:
            booking.status = B.WAITLISTED
        else:
            reservation = waitlist.take_seat(_place(slot), holder=actor)
            if reservation is None:
                raise SlotTaken
            booking.status, booking.slot, booking.reservation = B.CONFIRMED, slot, reservation
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as exc:  # the database's own guard
            raise SlotTaken from exc
        for name, items in findings.items():
            for f in items:
                BookingConfirmation.objects.create(
                    booking=booking,
                    field=name,
                    kind=f.kind,
                    text_hash=pii.finding_key(name, f),
                    confirmed_by=actor,
                )
        audit.record(
            actor=actor, action="outreach.booking_create", obj=booking, details={"status": booking.status}
        )
        url = reverse("outreach:booking_detail", args=[booking.pk])
        _notify(
            coordinators(),
            title=_("%(org)s booked a touring consultation slot") % {"org": organization}
            if booking.status == B.CONFIRMED
            else _("%(org)s joined the waiting list of a touring consultation day") % {"org": organization},
            url=url,
        )
    return booking


def _promote(day: OutreachDay, slot: OutreachSlot) -> SlotBooking | None:
    """A freed slot goes to the first booking on the day's waiting list."""
    nxt = day.bookings.filter(status=B.WAITLISTED).order_by("created_at", "pk").first()
    if nxt is None or slot.starts_at <= timezone.now():
        return None
    reservation = waitlist.take_seat(_place(slot), holder=nxt.booked_by)
    if reservation is None:
        return None
    nxt.status, nxt.slot, nxt.reservation = B.CONFIRMED, slot, reservation
    nxt.save(update_fields=["status", "slot", "reservation"])
    audit.record(actor=None, action="outreach.booking_promoted", obj=nxt)
    _notify(
        active_members(nxt.organization),
        title=_("A slot became free: your booking on the waiting list is now confirmed for %(when)s")
        % {"when": display(slot.starts_at)},
        url=reverse("outreach:booking_detail", args=[nxt.pk]),
    )
    return nxt


def booking_cancel(*, actor, booking: SlotBooking) -> SlotBooking:
    with transaction.atomic():
        OutreachDay.objects.select_for_update().get(pk=booking.day_id)
        locked = (
            # Only the booking row is locked: its slot and reservation may be empty (outer joins).
            SlotBooking.objects.select_for_update(of=("self",))
            .select_related("slot", "day", "reservation")
            .get(pk=booking.pk)
        )
        if not (
            is_coordinator(actor) or permissions.membership_in_org(actor, locked.organization) is not None
        ):
            raise PermissionDenied
        if locked.status == B.CANCELLED:
            return locked
        refusal = permissions.booking_cancel_refusal(locked)
        if refusal:
            raise ValidationError(refusal)
        slot = locked.slot
        if locked.reservation is not None:
            capacity.release(locked.reservation)
        locked.status = B.CANCELLED
        locked.save(update_fields=["status"])
        audit.record(actor=actor, action="outreach.booking_cancel", obj=locked)
        if slot is not None:
            _promote(locked.day, slot)
    return locked


def booking_record(
    *, actor, booking: SlotBooking, outcome: str, referred_to: str = "", now=None
) -> SlotBooking:
    """After the slot: held, did not come, or held and referred (to whom)."""
    permissions.require_coordinator(actor)
    now = now or timezone.now()
    if booking.status != B.CONFIRMED or booking.slot is None:
        raise ValidationError(_("Only booked slots have a record."))
    if booking.slot.starts_at > now:
        raise ValidationError(_("The record can be written once the slot has begun."))
    if outcome not in (SlotBooking.Outcome.HELD, SlotBooking.Outcome.NO_SHOW, SlotBooking.Outcome.REFERRED):
        raise ValidationError({"outcome": _("Choose what happened.")})
    if outcome == SlotBooking.Outcome.REFERRED and not referred_to.strip():
        raise ValidationError({"referred_to": _("Say where the person was referred to.")})
    with transaction.atomic():
        locked = SlotBooking.objects.select_for_update().get(pk=booking.pk)
        locked.outcome = outcome
        locked.referred_to = referred_to.strip() if outcome == SlotBooking.Outcome.REFERRED else ""
        locked.save(update_fields=["outcome", "referred_to"])
        audit.record(actor=actor, action="outreach.booking_record", obj=locked, details={"outcome": outcome})
    return locked


def summary_rows(fiscal_year: int, organization_ids: list[int] | None = None):
    """Per host municipality: days, slots offered, used, no-shows, referrals, waiting list. Four
    queries whatever the number of hosts (the hosts, then days, slots and bookings counted by
    host in the database); rows are yielded as the hosts are read."""
    from django.db.models import Count, Q

    hosts = OutreachHost.objects.filter(plan__fiscal_year=fiscal_year)
    if organization_ids is not None:
        hosts = hosts.filter(organization_id__in=organization_ids)
    days = dict(
        OutreachDay.objects.filter(host__in=hosts).values_list("host").annotate(n=Count("pk")).order_by()
    )
    slots = dict(
        OutreachSlot.objects.filter(day__host__in=hosts)
        .values_list("day__host")
        .annotate(n=Count("pk"))
        .order_by()
    )
    confirmed = Q(status=B.CONFIRMED)
    bookings = {
        row["day__host"]: row
        for row in SlotBooking.objects.filter(day__host__in=hosts)
        .values("day__host")
        .annotate(
            booked=Count("pk", filter=confirmed),
            held=Count(
                "pk",
                filter=confirmed & Q(outcome__in=[SlotBooking.Outcome.HELD, SlotBooking.Outcome.REFERRED]),
            ),
            no_show=Count("pk", filter=confirmed & Q(outcome=SlotBooking.Outcome.NO_SHOW)),
            referred=Count("pk", filter=confirmed & Q(outcome=SlotBooking.Outcome.REFERRED)),
            waiting=Count("pk", filter=Q(status=B.WAITLISTED)),
        )
        .order_by()
    }
    empty = {"booked": 0, "held": 0, "no_show": 0, "referred": 0, "waiting": 0}
    for host in hosts.select_related("organization").iterator(chunk_size=2000):
        b = bookings.get(host.pk, empty)
        yield [
            host.organization.name,
            days.get(host.pk, 0),
            slots.get(host.pk, 0),
            b["booked"],
            b["held"],
            b["no_show"],
            b["referred"],
            b["waiting"],
        ]


SUMMARY_HEADER = [
    "区市町村",
    "実施日数",
    "提供枠数",
    "予約数",
    "相談実施数",
    "欠席数",
    "つなぎ先あり",
    "キャンセル待ち",
]


def send_reminders(*, today: dt.date | None = None) -> int:
    """7 days and 1 day before a published day: its staff, the host and the booking municipalities."""
    today = today or timezone.localdate()
    sent = 0
    schedule = ((7, "d7"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    for day in OutreachDay.objects.filter(date__gte=first, date__lte=last, host__status=H.PUBLISHED):
        with transaction.atomic():
            locked = (
                OutreachDay.objects.select_for_update().select_related("host__organization").get(pk=day.pk)
            )
            reminder = reminders.due(schedule, day=locked.date, today=today, sent=locked.reminders_sent)
            if reminder is None:
                continue
            _tag, _days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            ics = build_ics(day_calendar_event(locked))
            for user in {u.pk: u for u in _involved(locked)}.values():
                outbox.queue_templated_email(
                    to=user.email,
                    recipient=user,
                    template="outreach/email/day",
                    context={
                        "day": locked,
                        "host": locked.host,
                        "reminder": True,
                        "url": _host_url(locked.host),
                    },
                    attachments=[ics_attachment(ics, "outreach.ics")],
                )
                sent += 1
    return sent


# --- retention of bookings (registered with portal.core.purge in apps.py) ----------------------------

BOOKING_PURGED_FIELDS = [*BOOKING_TEXT_FIELDS, "referred_to"]


def booking_purge_candidates(*, now=None):
    """巡回相談 bookings ``OUTREACH_BOOKING_RETENTION_DAYS`` after their day (cancelled and waiting
    ones included)."""
    now = now or timezone.now()
    limit = timezone.localdate(now) - dt.timedelta(days=settings.OUTREACH_BOOKING_RETENTION_DAYS)
    return SlotBooking.objects.filter(day__date__lte=limit, purged_at__isnull=True).order_by(
        "day__date", "pk"
    )


def booking_purge(booking: SlotBooking, *, actor=None) -> SlotBooking:
    """The resident's initial, contact route, topic and where they were referred, the kept passages
    of the guard, and every copy elsewhere; the day, status and outcome stay for the statistics."""
    with transaction.atomic():
        locked = SlotBooking.objects.select_for_update().get(pk=booking.pk)
        if locked.purged_at is not None:
            return locked
        texts = purge.texts_of(locked, BOOKING_PURGED_FIELDS)
        for name in BOOKING_PURGED_FIELDS:
            setattr(locked, name, "")
        locked.purged_at = timezone.now()
        locked.save(update_fields=[*BOOKING_PURGED_FIELDS, "purged_at"])
        locked.pii_confirmations.all().delete()
        purge.clear_copies(
            texts=texts, urls=[reverse("outreach:booking_detail", args=[locked.pk])], objects=[locked]
        )
        audit.record(actor=actor, action="outreach.booking_purge", obj=locked)
    return locked
