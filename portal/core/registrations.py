"""The one registration engine behind exchange meetings and training sessions: change a
registration's attendance mode and access needs, cancel it, offer a freed seat to the next person
waiting, accept an offer, lapse offers whose time ran out. Built on ``waitlist`` (the four seat
states) and ``capacity`` (the row-locked places).

An app describes what people register for once, as an ``Occasion``::

    SEATS = registrations.Occasion(
        model=Event, registrations=Registration, field="event", action="event",
        offer_hours="EVENT_OFFER_HOURS", places=_places, mail=_seat_mail, url=_url,
        offer_title=..., lapsed_title=...,
    )
    registrations.cancel(SEATS, actor=actor, registration=registration)

and keeps in its own ``services`` who may do what (the permission rules differ between the apps).

A freed seat is offered **inside** the transaction that freed it, while the occasion's row is
still locked: no other registration, cancellation or mode change can slip between the release and
the offer, so the first person waiting is always the one offered the seat. The offer's e-mail is
a stored outbox row queued after commit, so a rolled-back cancellation sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, outbox, waitlist
from .dates import display
from .exceptions import StaleEdit
from .models import SeatMode, SeatStatus

S = SeatStatus


@dataclass(frozen=True)
class Occasion:
    """What people register for (a meeting, a training session) as the engine needs to know it.

    ``field``: the registration's foreign key to the occasion; ``action``: the prefix of audit
    actions (``event.cancel``); ``offer_hours``: the setting holding how long an offer waits;
    ``places(occasion)``: its places per mode (``waitlist.places``); ``mail(registration, name,
    ics=, extra=)``: sends the app's letter ``name`` (confirmed, offer, cancelled);
    ``offer_title(occasion)`` / ``lapsed_title(registration)``: the in-portal notifications;
    ``related``: what to read with the occasion (``("course",)``); ``mail_cancelled``: whether a
    registration cancelled by someone else is told by letter."""

    model: Any  # the occasion's model class (Event, Session)
    registrations: Any  # its registration model class
    field: str
    action: str
    offer_hours: str
    places: Callable[[Any], dict[str, waitlist.Place]]
    mail: Callable[..., Any]
    url: Callable[[Any], str]
    offer_title: Callable[[Any], str]
    lapsed_title: Callable[[Any], str]
    related: tuple[str, ...] = ()
    mail_cancelled: bool = False

    def lock(self, pk):
        """The occasion's row, locked: every seat decision of one occasion is taken one at a time."""
        return self.model.objects.select_for_update().select_related(*self.related).get(pk=pk)

    def lock_registration(self, pk):
        related = ("reservation", "user", self.field, *(f"{self.field}__{r}" for r in self.related))
        return self.registrations.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)

    def occasion_id(self, registration) -> int:
        return getattr(registration, f"{self.field}_id")


def promote_next(occ: Occasion, occasion, *, mode: str = SeatMode.VENUE, now=None):
    """Offer a freed seat of ``mode`` to the first person waiting for that mode, for the occasion's
    offer hours. Returns the registration offered the seat, or None."""
    with transaction.atomic():
        locked = occ.lock(occasion.pk)
        if locked.cancelled_at:
            return None
        nxt = waitlist.offer_next(
            occ.places(locked)[mode],
            occ.registrations.objects.filter(**{occ.field: locked, "mode": mode}).select_related("user"),
            hours=getattr(settings, occ.offer_hours),
            now=now,
        )
        if nxt is None:
            return None
        audit.record(actor=None, action=f"{occ.action}.offer", obj=nxt)
        occ.mail(nxt, "offer", extra={"expires": nxt.offer_expires_at})
        outbox.notify(user=nxt.user, title=occ.offer_title(locked), url=occ.url(locked), email=False)
    return nxt


def offer_free_seats(occ: Occasion, occasion) -> None:
    """After more places (a bigger room, more online places): offer every free seat of each mode."""
    for mode in SeatMode.values:
        while promote_next(occ, occasion, mode=mode) is not None:
            pass


def update(
    occ: Occasion,
    *,
    actor,
    registration,
    mode: str,
    accessibility: str,
    based_on_version: int,
    coordinator: bool,
    now=None,
):
    """Change the attendance mode and the access needs until the registration deadline (a
    coordinator also after it; the caller has checked that ``actor`` may manage the registration).
    A new mode is taken only if a seat of that mode is free: then the old mode's seat (or offer, or
    queue place) is let go and offered to the next person waiting for it; otherwise nothing changes
    and the refusal says why. An edit based on an older version raises StaleEdit."""
    now = now or timezone.now()
    with transaction.atomic():
        occasion = occ.lock(occ.occasion_id(registration))
        if now > occasion.registration_deadline and not coordinator:
            raise ValidationError(
                _("Changes were possible until the registration deadline (%(when)s).")
                % {"when": display(occasion.registration_deadline)}
            )
        locked = occ.lock_registration(registration.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        if locked.status == S.CANCELLED or occasion.cancelled_at:
            raise ValidationError(_("This registration was cancelled."))
        old_mode, freed = locked.mode, False
        if mode != old_mode:
            freed = waitlist.change_mode(
                locked,
                occ.places(occasion)[mode],
                mode=mode,
                online_capacity=occasion.online_capacity,
                holder=locked.user,
            )
        locked.accessibility = accessibility
        locked.version += 1
        locked.save(
            update_fields=["mode", "accessibility", "version", "status", "reservation", "offer_expires_at"]
        )
        audit.record(
            actor=actor,
            action=f"{occ.action}.registration_update",
            obj=locked,
            organization=locked.organization,
            details={"mode": [old_mode, locked.mode]} if old_mode != locked.mode else {},
        )
        if old_mode != locked.mode:
            occ.mail(locked, "confirmed", ics=True)
            if freed:
                promote_next(occ, occasion, mode=old_mode, now=now)
    return locked


def cancel(occ: Occasion, *, actor, registration, check: Callable[[Any], None] | None = None, now=None):
    """Cancel a registration (the caller has checked that ``actor`` may), releasing its seat or
    offer, which goes to the first person waiting. ``check(locked)`` may refuse with
    ValidationError once the row is locked. A cancelled registration is returned as it is."""
    with transaction.atomic():
        occasion = occ.lock(occ.occasion_id(registration))
        locked = occ.lock_registration(registration.pk)
        if check is not None:
            check(locked)
        if not waitlist.give_up(locked):
            return locked
        audit.record(actor=actor, action=f"{occ.action}.cancel", obj=locked)
        if occ.mail_cancelled and actor.pk != locked.user_id:
            occ.mail(locked, "cancelled")
        promote_next(occ, occasion, mode=locked.mode, now=now)
    return locked


def accept_offer(occ: Occasion, *, actor, registration):
    """The person offered a seat takes it (only they can)."""
    if actor.pk != registration.user_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = occ.lock_registration(registration.pk)
        waitlist.accept(locked)
        audit.record(actor=actor, action=f"{occ.action}.accept_offer", obj=locked)
        occ.mail(locked, "confirmed", ics=True)
    return locked


def expire_offers(occ: Occasion, *, now=None) -> int:
    """Offers not accepted in time lapse; the seat goes to the next person waiting."""

    def lapsed(registration):
        audit.record(actor=None, action=f"{occ.action}.offer_expired", obj=registration)
        outbox.notify(
            user=registration.user,
            title=occ.lapsed_title(registration),
            url=occ.url(getattr(registration, occ.field)),
        )

    return waitlist.expire_lapsed(
        occ.registrations,
        on_lapsed=lapsed,
        promote=lambda r: promote_next(occ, getattr(r, occ.field), mode=r.mode, now=now),
        now=now,
    )
