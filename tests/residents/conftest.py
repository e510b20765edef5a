import datetime as dt

import pytest
from django.utils import timezone

from portal.core.dates import fiscal_year_of
from portal.core.models import SeatMode
from portal.residents import services
from portal.residents.models import ConsultationDay, Venue

APPLICANT = {
    "name": "山田 花子",
    "name_kana": "やまだ はなこ",
    "municipality": "足立区",
    "phone": "090-1234-5678",
    "email": "hanako@example.jp",
    "relationship": "parent",
    "subject_municipality": "足立区",
    "subject_age": 24,
    "subject_gender": "male",
}
SEMINAR_APPLICANT = {k: APPLICANT[k] for k in ("name", "name_kana", "municipality", "phone", "email")}


def future_weekday(days=30) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def future_weekend(days=30) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() != 6:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture(autouse=True)
def municipalities(db):
    from ..factories import OrganizationFactory

    return [
        OrganizationFactory(name=name, code=code, municipality_kind="ward" if name.endswith("区") else "city")
        for name, code in (("足立区", "131211"), ("八王子市", "132012"))
    ]


@pytest.fixture
def day(db, coordinator):
    d = future_weekday()
    return services.day_create(
        actor=coordinator,
        fiscal_year=fiscal_year_of(d),
        kind=ConsultationDay.Kind.WEEKDAY,
        number=1,
        date=d,
        venue=Venue.ADACHI,
    )


@pytest.fixture
def weekend_day(db, coordinator):
    d = future_weekend()
    return services.day_create(
        actor=coordinator,
        fiscal_year=fiscal_year_of(d),
        kind=ConsultationDay.Kind.WEEKEND,
        number=1,
        date=d,
        venue=Venue.HACHIOJI,
    )


@pytest.fixture
def seminar(db, coordinator, weekend_day):
    return services.seminar_create(
        actor=coordinator,
        fiscal_year=weekend_day.fiscal_year,
        number=1,
        date=weekend_day.date,
        venue=weekend_day.venue,
        theme="家族が知っておきたい支援先",
        lecturer="サポートネット",
        consultation_day=weekend_day,
        online_url="https://zoom.example.jp/j/123",
    )


def apply(slots, **extra):
    return services.individual_apply(data={**APPLICANT, **extra}, preferences=list(slots))


def apply_seminar(seminars, mode=SeatMode.VENUE, **extra):
    return services.seminar_apply(data={**SEMINAR_APPLICANT, **extra}, seminars=list(seminars), mode=mode)
