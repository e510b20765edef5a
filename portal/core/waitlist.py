"""Seats with a waiting list, on top of the one capacity engine. Meetings and trainings both keep
registrations with the same four states; this module moves a registration between them.

    seat = waitlist.take_seat(place)             # a booked Reservation, or None when full
    waitlist.offer_next(place, waiting_qs, hours=48)   # a freed seat is held for the first in line
    waitlist.accept(registration)                 # the offer becomes a confirmed seat
    waitlist.give_up(registration)                # cancelled: the seat (or offer) is released

A *place* is what is being booked: its capacity key, times and capacity. Callers lock their own
parent row (the event or session) first, so the queue order is decided one at a time.

Attendance modes: an event or session has one place per mode (``places``): the venue under its
own key, online under ``<key>:online`` with its own capacity (``None`` = no limit). Each mode is
its own capacity resource with its own row lock and its own waiting list (the caller filters the
queue by mode). ``switch`` moves a registration to another mode only if a seat is free there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import capacity
from .dates import display
from .models import SeatMode, SeatStatus

Full = capacity.Full

# "No limit" for online places: the largest capacity a resource row can hold.
UNLIMITED = 2_147_483_647


@dataclass(frozen=True)
class Place:
    key: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


def mode_key(key: str, mode: str) -> str:
    """The capacity key of one attendance mode; the venue keeps the parent's own key."""
    return key if mode == SeatMode.VENUE else f"{key}:{mode}"


def places(key: str, starts_at, ends_at, *, venue: int, online: int | None) -> dict[str, Place]:
    """One place per attendance mode. ``online`` None means no limit, 0 means no online places."""
    return {
        SeatMode.VENUE: Place(key, starts_at, ends_at, venue),
        SeatMode.ONLINE: Place(
            mode_key(key, SeatMode.ONLINE), starts_at, ends_at, UNLIMITED if online is None else online
        ),
    }


def offers_mode(online_capacity: int | None, mode: str) -> bool:
    """Whether people may choose ``mode``: the venue always, online when it has places."""
    return mode == SeatMode.VENUE or (mode == SeatMode.ONLINE and online_capacity != 0)


def default_mode(venue: int, online: int | None) -> str:
    """The mode offered first: the venue, unless it has no places and online does (an online
    course's sessions)."""
    return SeatMode.ONLINE if venue == 0 and online != 0 else SeatMode.VENUE


def mode_refused(mode: str) -> ValidationError:
    return ValidationError(
        _("There are no %(mode)s places for this date.") % {"mode": SeatMode(mode).label}, code="no_mode"
    )


def take_seat(place: Place, *, holder) -> capacity.Reservation | None:
    """Book a seat at once, or None when every seat is taken (the caller waitlists)."""
    try:
        return capacity.book(
            capacity.hold(
                key=place.key,
                starts_at=place.starts_at,
                ends_at=place.ends_at,
                holder=holder,
                capacity=place.capacity,
            )
        )
    except capacity.Full:
        return None


def seat(registration, place: Place, *, holder) -> None:
    """Give a new registration a seat or a place in the queue (not saved)."""
    reservation = take_seat(place, holder=holder)
    if reservation is None:
        registration.status = SeatStatus.WAITLISTED
    else:
        registration.status, registration.reservation = SeatStatus.CONFIRMED, reservation


def offer_next(place: Place, waiting, *, hours: int, now=None):
    """Hold a freed seat for the first waiting registration of ``waiting`` for ``hours``.
    Returns that registration (saved, status OFFERED) or None."""
    now = now or timezone.now()
    nxt = waiting.filter(status=SeatStatus.WAITLISTED).order_by("created_at", "pk").first()
    if nxt is None or now >= place.starts_at:
        return None
    try:
        held = capacity.hold(
            key=place.key,
            starts_at=place.starts_at,
            ends_at=place.ends_at,
            holder=nxt.user,
            capacity=place.capacity,
            minutes=hours * 60,
        )
    except capacity.Full:
        return None
    nxt.status, nxt.reservation, nxt.offer_expires_at = SeatStatus.OFFERED, held, held.held_until
    nxt.save(update_fields=["status", "reservation", "offer_expires_at"])
    return nxt


def queue(registrations):
    """The waiting list of ``registrations`` (one meeting's or session's) in its order: the
    order ``offer_next`` offers freed seats in, an open offer being the head of the line."""
    return registrations.filter(status__in=[SeatStatus.OFFERED, SeatStatus.WAITLISTED]).order_by(
        "created_at", "pk"
    )


def switch(registration, place: Place, *, holder):
    """Move a registration (seated, offered or waiting) to another mode's ``place``, only if a seat
    is free there: the new seat is booked under that mode's row lock before the old seat, offer or
    queue place is let go, so a refusal (capacity.Full) leaves everything as it was. Returns whether
    the registration held a seat or an offer before (freed now: the caller offers it on).
    Not saved."""
    new = take_seat(place, holder=holder)
    if new is None:
        raise capacity.Full
    old = registration.reservation
    held = registration.status in (SeatStatus.CONFIRMED, SeatStatus.OFFERED) and old is not None
    if old is not None:
        capacity.release(old)
    registration.status, registration.reservation, registration.offer_expires_at = (
        SeatStatus.CONFIRMED,
        new,
        None,
    )
    return held


def change_mode(registration, place: Place, *, mode: str, online_capacity: int | None, holder) -> bool:
    """The registrant's move to ``mode`` (``place`` is that mode's), with the refusals people read:
    a mode the event does not offer, or no free seat in it (then nothing changes). Returns whether
    a seat or offer was freed in the old mode (the caller offers it on). Not saved."""
    if not offers_mode(online_capacity, mode):
        raise mode_refused(mode)
    old_mode = registration.mode
    try:
        freed = switch(registration, place, holder=holder)
    except Full as exc:
        raise ValidationError(
            _("No %(mode)s place is free, so the registration stays as it was (%(current)s, %(status)s).")
            % {
                "mode": SeatMode(mode).label,
                "current": SeatMode(old_mode).label,
                "status": registration.get_status_display(),
            },
            code="mode_full",
        ) from exc
    registration.mode = mode
    return freed


def position(registration, waiting) -> int | None:
    """The registration's place in its queue (1 = next), ``waiting`` being the registrations of the
    same event or session and mode; None when it is not waiting."""
    if registration.status != SeatStatus.WAITLISTED:
        return None
    ahead = waiting.filter(status=SeatStatus.WAITLISTED).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def _expired(expires: dt.datetime) -> ValidationError:
    return ValidationError(
        _(
            "The offer expired at %(when)s, so the seat can no longer be confirmed. "
            "The seat goes to the next person waiting."
        )
        % {"when": display(expires)},
        code="offer_expired",
    )


def accept(registration, *, now=None):
    """Confirm an open offer (the caller has locked the row). An offer whose time ran out is
    refused here, whether or not the sweep (expire_lapsed) has run yet: a hold that lapsed
    unnoticed must not turn into a seat, because the next person in line is owed it."""
    now = now or timezone.now()
    if registration.status != SeatStatus.OFFERED or registration.reservation is None:
        raise ValidationError(_("There is no open offer."))
    expires = registration.offer_expires_at or registration.reservation.held_until
    if expires is None or expires <= now:
        raise _expired(expires or now)
    try:
        registration.reservation = capacity.book(registration.reservation)
    except capacity.HoldExpired as exc:
        raise _expired(expires) from exc
    registration.status = SeatStatus.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "reservation", "offer_expires_at"])
    return registration


def give_up(registration, *, extra_fields=()) -> bool:
    """Cancel a registration, releasing its seat or offer. False when it was cancelled already."""
    if registration.status == SeatStatus.CANCELLED:
        return False
    if registration.reservation is not None:
        capacity.release(registration.reservation)
    registration.status = SeatStatus.CANCELLED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", *extra_fields])
    return True


def expire_lapsed(model, *, on_lapsed, promote, now=None) -> int:
    """Lapse every offer of ``model`` whose time ran out, each in its own transaction:
    ``on_lapsed(registration)`` records and tells the person, then ``promote(registration)``
    offers the seat to the next one waiting. Returns how many lapsed."""
    now = now or timezone.now()
    count = 0
    for pk in model.objects.filter(status=SeatStatus.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            locked = model.objects.select_for_update(of=("self",)).select_related("reservation").get(pk=pk)
            if locked.status != SeatStatus.OFFERED or (
                locked.offer_expires_at and locked.offer_expires_at > now
            ):
                continue
            give_up(locked)
            on_lapsed(locked)
            count += 1
        promote(locked)
    return count


def seats_taken(registrations) -> int:
    return registrations.filter(status__in=[SeatStatus.CONFIRMED, SeatStatus.OFFERED]).count()


def check_capacity(registrations, capacity: int | None) -> None:
    """A new capacity may not be below the seats already given (confirmed or offered); ``None``
    (no limit) always fits."""
    if capacity is None:
        return
    seated = seats_taken(registrations)
    if capacity < seated:
        raise ValidationError(
            _("%(n)d people already have a seat; the capacity cannot be lower.") % {"n": seated}
        )


def past_date_errors(data: dict, *, saved=None, now=None) -> dict[str, str]:
    """The dates a person picked for a place people register for (a meeting, a training session),
    checked against what is possible: the start after now, the registration deadline between now
    and the start. ``data`` holds ``starts_at`` and ``registration_deadline``; with ``saved`` (the
    row being edited) a date left as it was is not checked again. Returns field → message, the
    deadline under ``deadline_date`` as the schedule forms name it."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    start, deadline = data.get("starts_at"), data.get("registration_deadline")
    if start and start <= now and (saved is None or start != saved.starts_at):
        errors["starts_at"] = _("Choose a start after now (%(now)s).") % {"now": display(now)}
    if deadline and deadline < now and (saved is None or deadline != saved.registration_deadline):
        if start and start > now:
            errors["deadline_date"] = _(
                "Choose a registration deadline between now (%(now)s) and the start (%(start)s)."
            ) % {"now": display(now), "start": display(start)}
        else:
            errors["deadline_date"] = _("Choose a registration deadline after now (%(now)s).") % {
                "now": display(now)
            }
    return errors


def numbered(registrations):
    """``(place, registration)`` along a queue (``queue(...)``'s order), each attendance mode
    counted on its own: every mode is its own waiting list, so the first online registrant
    waiting is 1 even behind venue ones — the place the registrant sees on their page."""
    counters: dict[str, int] = {}
    for registration in registrations:
        mode = getattr(registration, "mode", "")
        counters[mode] = counters.get(mode, 0) + 1
        yield counters[mode], registration
