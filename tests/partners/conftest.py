import datetime as dt

import pytest

from portal.accounts.models import ExpertProfile
from portal.partners import services
from portal.partners.models import WeeklyHours

from ..factories import ExpertProfileFactory, MembershipFactory, PartnerFactory, enroll_totp

# A Monday with no holiday around it; "now" is the Monday before, 09:00 JST.
NOW = dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def lawyer(db):
    profile = ExpertProfileFactory(
        user__email="bank-lawyer@example.jp",
        panel_discipline="",
        talent_bank_discipline=ExpertProfile.TalentBankDiscipline.LEGAL,
    )
    enroll_totp(profile.user)
    schedule = services.schedule_for(profile)
    schedule.min_notice_hours = 48
    schedule.save()
    for weekday in (0, 2):  # Monday and Wednesday, 13:00-17:00
        WeeklyHours.objects.create(schedule=schedule, weekday=weekday, start=dt.time(13), end=dt.time(17))
    return profile


@pytest.fixture
def npo(db):
    return PartnerFactory(name="テスト居場所ネット")


@pytest.fixture
def npo_staff(npo):
    return MembershipFactory(organization=npo, user__email="staff@npo.example.jp").user


@pytest.fixture
def npo_colleague(npo):
    return MembershipFactory(organization=npo, user__email="colleague@npo.example.jp").user
