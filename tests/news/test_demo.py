import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from portal.accounts.models import Organization
from portal.directory import demo as directory_demo
from portal.directory.models import PartnerEntry, SupportInstitution
from portal.news import demo as news_demo
from portal.news import selectors
from portal.news.models import Post

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize("hour,minute", [(0, 5), (9, 0), (16, 59)])
def test_demo_has_every_category_the_partners_and_institutions_at_any_hour(hour, minute):
    with time_machine.travel(dt.datetime(2026, 11, 30, hour, minute, tzinfo=TOKYO), tick=False):
        call_command("load_reference_data", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        news_demo.seed_demo()  # idempotent
        directory_demo.seed_demo()
        public = selectors.public_list()
        assert {p.category for p in public} == set(Post.Category.values)
        assert selectors.urgent_notices().exists()
    assert Post.objects.filter(status="returned").count() == 1
    partners = Organization.objects.filter(kind="partner").count()
    assert partners >= 20
    assert PartnerEntry.objects.filter(is_published=True).count() == partners
    assert SupportInstitution.objects.count() == 27
