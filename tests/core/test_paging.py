"""Pages of a counted list: every page holds the rows the list's order puts there, whether it is
read from the front or, past the middle, from the end."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import Organization
from portal.core.models import Notification
from portal.core.paging import deferred_page

from ..factories import NotificationFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications():
    user = UserFactory()
    NotificationFactory.create_batch(23, user=user)
    # ties on the first column of the order: only the key tells them apart
    base = timezone.now()
    for n, pk in enumerate(Notification.objects.order_by("pk").values_list("pk", flat=True)):
        created = base - datetime.timedelta(minutes=n // 4)
        Notification.objects.filter(pk=pk).update(created_at=created)
    return Notification.objects.filter(user=user)


def test_every_page_has_the_rows_the_order_puts_there(notifications):
    everything = list(notifications.values_list("pk", flat=True))
    for number in range(1, 6):
        page = deferred_page(notifications, number, 5)
        assert [n.pk for n in page] == everything[(number - 1) * 5 : number * 5], number
    assert page.paginator.num_pages == 5 and len(page) == 3


def test_a_late_page_is_read_from_the_end(notifications):
    with CaptureQueriesContext(connection) as queries:
        page = deferred_page(notifications, 5, 5)
    keys = [q["sql"] for q in queries.captured_queries if "COUNT" not in q["sql"] and "LIMIT" in q["sql"]]
    assert len(page) == 3
    # the three last rows are the three first ones backwards: no rows skipped to reach them
    assert len(keys) == 1 and "OFFSET" not in keys[0] and "ASC" in keys[0]

    with CaptureQueriesContext(connection) as queries:
        deferred_page(notifications, 2, 5)
    assert any("OFFSET 5" in q["sql"] for q in queries.captured_queries)


def test_a_list_whose_order_has_no_key_is_read_from_the_front():
    for n in range(7):
        PartnerFactory(name=f"団体{n}")
    organizations = Organization.objects.filter(name__startswith="団体").order_by("name")
    everything = list(organizations.values_list("pk", flat=True))
    seen = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            seen += [o.pk for o in deferred_page(organizations, number, 3)]
        assert number == 1 or any("OFFSET" in q["sql"] for q in queries.captured_queries)
    assert seen == everything and len(seen) == 7
