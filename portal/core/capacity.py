"""The one capacity engine: places on a resource are taken under a row lock and checked against
the capacity (and, for capacity 1, a partial unique index), so they are never oversold.

    reservation = capacity.hold(key="expert:12", starts_at=..., ends_at=..., holder=user)
    capacity.book(reservation)      # the form was completed in time
    capacity.release(reservation)   # cancelled, declined, or the hold ran out

Holds expire after HOLD_MINUTES; an expired hold frees its place for the next request.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CapacityResource, Reservation

HOLD_MINUTES = 10


class Full(Exception):
    """No place is left at that time."""


class HoldExpired(Exception):
    """The hold ran out before the booking was completed (and someone else may have the place)."""


class AlreadyBooked(Exception):
    """The reservation was booked already: it belongs to the booking made then, never to another one.
    A caller that wants to repeat its own booking safely looks up what it made the first time."""


def _resource(key: str, capacity: int) -> CapacityResource:
    resource, _created = CapacityResource.objects.get_or_create(key=key, defaults={"capacity": capacity})
    locked = CapacityResource.objects.select_for_update().get(pk=resource.pk)
    if locked.capacity != capacity:  # the owner changed its capacity (e.g. a bigger room)
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
    return locked


def live(queryset=None, *, now=None):
    now = now or timezone.now()
    qs = queryset if queryset is not None else Reservation.objects.all()
    return qs.filter(status=Reservation.Status.BOOKED) | qs.filter(
        status=Reservation.Status.HELD, held_until__gt=now
    )


def release_expired(resource: CapacityResource, *, now=None) -> int:
    now = now or timezone.now()
    return Reservation.objects.filter(
        resource=resource, status=Reservation.Status.HELD, held_until__lte=now
    ).update(status=Reservation.Status.RELEASED)


def taken(resource: CapacityResource, starts_at, ends_at, *, now=None, exclude_pk=None) -> int:
    qs = live(
        Reservation.objects.filter(resource=resource, starts_at__lt=ends_at, ends_at__gt=starts_at), now=now
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def hold(
    *,
    key: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    holder=None,
    capacity: int = 1,
    minutes: int = HOLD_MINUTES,
) -> Reservation:
    """Take a place for a few minutes. Raises Full when none is left."""
    now = timezone.now()
    with transaction.atomic():
        resource = _resource(key, capacity)
        release_expired(resource, now=now)
        if taken(resource, starts_at, ends_at, now=now) >= resource.capacity:
            raise Full
        try:
            with transaction.atomic():
                return Reservation.objects.create(
                    resource=resource,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    holder=holder,
                    status=Reservation.Status.HELD,
                    held_until=now + dt.timedelta(minutes=minutes),
                    exclusive=resource.capacity == 1,
                )
        except IntegrityError as exc:  # the database's own guard against a double booking
            raise Full from exc


def book(reservation: Reservation) -> Reservation:
    """Turn a live hold into a booking. Raises HoldExpired if the hold ran out and was taken, and
    AlreadyBooked if it was booked before (one hold makes at most one booking)."""
    now = timezone.now()
    with transaction.atomic():
        resource = CapacityResource.objects.select_for_update().get(pk=reservation.resource_id)
        locked = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if locked.status == Reservation.Status.BOOKED:
            raise AlreadyBooked
        lapsed = locked.status == Reservation.Status.RELEASED or (
            locked.held_until and locked.held_until <= now
        )
        # A lapsed hold may still be booked if nobody took the place meanwhile.
        others = taken(resource, locked.starts_at, locked.ends_at, now=now, exclude_pk=locked.pk)
        if lapsed and others >= resource.capacity:
            raise HoldExpired
        locked.status = Reservation.Status.BOOKED
        locked.held_until = None
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", "held_until"])
        except IntegrityError as exc:
            raise HoldExpired from exc
        return locked


def release(reservation: Reservation) -> None:
    with transaction.atomic():
        Reservation.objects.filter(pk=reservation.pk).update(
            status=Reservation.Status.RELEASED, held_until=None
        )


def move(reservation: Reservation, *, starts_at: dt.datetime, ends_at: dt.datetime) -> Reservation:
    """Reschedule a booking: the new place is taken before the old one is let go."""
    with transaction.atomic():
        new = hold(
            key=reservation.resource.key,
            starts_at=starts_at,
            ends_at=ends_at,
            holder=reservation.holder,
            capacity=reservation.resource.capacity,
        )
        release(reservation)
        return book(new)
