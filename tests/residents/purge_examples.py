"""Builders for the generic purge test: ``build(marker)`` makes an application of each registered
kind with the marker in every text field (and in the letters it sends)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.core.dates import fiscal_year_of
from portal.core.models import SeatMode
from portal.residents import services
from portal.residents.models import ConsultationDay, IndividualApplication, SeminarApplication, Venue


def _weekend(days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() != 6:
        day += dt.timedelta(days=1)
    return day


def _day(kind=ConsultationDay.Kind.WEEKEND) -> ConsultationDay:
    date = _weekend(40 + ConsultationDay.objects.count() * 7)
    number = ConsultationDay.objects.filter(fiscal_year=fiscal_year_of(date), kind=kind).count() + 1
    return services.day_create(
        actor=None, fiscal_year=fiscal_year_of(date), kind=kind, number=number, date=date, venue=Venue.ADACHI
    )


def build_individual(marker: str) -> IndividualApplication:
    day = _day()
    application = services.individual_apply(
        data={
            "name": marker,
            "name_kana": marker,
            "municipality": marker,
            "phone": marker,
            "email": f"{marker.lower()}@example.jp",
            "relationship": "parent",
            "subject_municipality": marker,
            "subject_age": 30,
            "subject_gender": "female",
        },
        preferences=[day.slots.first()],
    )
    IndividualApplication.objects.filter(pk=application.pk).update(note=marker)
    return application


def build_seminar(marker: str) -> SeminarApplication:
    day = _day()
    seminar = services.seminar_create(
        actor=None,
        fiscal_year=day.fiscal_year,
        number=day.number,
        date=day.date,
        venue=day.venue,
        theme="テーマ",
        lecturer="講師",
    )
    application = services.seminar_apply(
        data={
            "name": marker,
            "name_kana": marker,
            "municipality": marker,
            "phone": marker,
            "email": f"{marker.lower()}@example.jp",
        },
        seminars=[seminar],
        mode=SeatMode.VENUE,
    )
    SeminarApplication.objects.filter(pk=application.pk).update(note=marker)
    return application


def build_peer(marker: str):
    from portal.residents.models import PeerDay

    fy = fiscal_year_of() + 1
    days = list(PeerDay.objects.filter(fiscal_year=fy)) or services.peer_schedule_create(
        actor=None, fiscal_year=fy
    )
    slot = next(s for d in days for s in d.slots.all() if not s.bookings.exists())
    return services.peer_book(
        actor=None,
        slot=slot,
        data={
            "nickname": marker,
            "phone": marker,
            "mode": "online",
            "email": f"{marker.lower()}@example.jp",
            "note": marker,
        },
    )


EXAMPLES = {
    "residents.individual": build_individual,
    "residents.seminar": build_seminar,
    "residents.peer": build_peer,
}


# Text fields the portal fills itself: no one types into them (tests/core/test_purge_completeness.py).
GENERATED = {
    f"residents.{model}.{field}": reason
    for model in ("IndividualApplication", "SeminarApplication", "PeerBooking")
    for field, reason in (
        ("reference", "the generated reference on the receipt"),
        ("nonce", "the random part of the signed cancel link"),
    )
} | {
    f"residents.{model}.reminders_sent": "which reminders went (codes)"
    for model in ("IndividualApplication", "PeerBooking")
}
