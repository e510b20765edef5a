import datetime as dt

import pytest
from django.utils import timezone

from portal.news import services
from portal.news.models import Post


def post_data(**overrides):
    data = {
        "category": Post.Category.MUNICIPAL,
        "title": "ひきこもり家族教室のお知らせ",
        "body": "家族向けの教室を開きます。\n\n- 参加無料\n- 申込不要",
        "event_starts_at": None,
        "event_ends_at": None,
        "event_place": "",
        "event_online": False,
        "event_url": "",
        "publish_from": None,
        "publish_until": None,
    }
    data.update(overrides)
    return data


def event_data(**overrides):
    start = timezone.now() + dt.timedelta(days=20)
    return post_data(
        event_starts_at=start,
        event_ends_at=start + dt.timedelta(hours=2),
        event_place="市民会館",
        **overrides,
    )


def draft(author, organization, **overrides):
    return services.post_create(actor=author, organization=organization, data=post_data(**overrides))


def submitted(author, organization, **overrides):
    return services.post_submit(actor=author, post=draft(author, organization, **overrides))


def published(coordinator, author, organization, **overrides):
    return services.post_approve(actor=coordinator, post=submitted(author, organization, **overrides))


@pytest.fixture
def partner_post_data():
    return post_data(category=Post.Category.EVENT, title="フリースペース見学会")
