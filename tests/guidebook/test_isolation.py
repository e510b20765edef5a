"""The materials library list shows a person only the material of their audiences, at the same
number of queries for 1 and for many rows, with the rows on the page."""

import pytest
from django.urls import reverse

from portal.guidebook import services
from portal.meetings import services as meetings

from ..meetings.conftest import make_event
from ..queries import page as _page
from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_material_list_rows_by_audience_with_flat_queries(client, coordinator, admin_a, partner_member):
    attended = make_event(coordinator, title="参加した交流会", capacity=5)
    other = make_event(coordinator, title="参加していない交流会", capacity=5)
    meetings.register(actor=admin_a, event=attended)
    counter = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(counter)
            for audience, prefix, event in (
                ("municipalities", "区市町村向け", None),
                ("partners", "連携団体向け", None),
                ("event", "参加者向け", attended),
                ("event", "他の会の参加者向け", other),
            ):
                services.material_create(
                    actor=coordinator,
                    upload=pdf_upload(size=10),
                    title=f"{prefix}資料{i:03d}",
                    category="other",
                    fiscal_year=2026,
                    audience=audience,
                    event=event,
                )

    url = reverse("guidebook:material_list")
    client.force_login(admin_a)
    add(1)
    client.get(url)  # warm process-wide caches
    one, one_queries = _page(client, url)
    add(30)
    many, many_queries = _page(client, url)
    assert one_queries == many_queries
    assert "全62件中1–50件目" in many
    many += _page(client, url + "?page=2")[0]  # the list comes in pages of 50
    per_row = one.count("区市町村向け資料000")
    assert per_row >= 1
    assert many.count("区市町村向け資料") == 31 * per_row
    assert many.count(">参加者向け資料") == 31  # the link text of each row
    assert "連携団体向け資料" not in many and "他の会の参加者向け資料" not in many

    client.force_login(partner_member)
    theirs, _queries = _page(client, url)
    assert theirs.count("連携団体向け資料") == 31 * per_row
    assert "区市町村向け資料" not in theirs and "参加者向け資料" not in theirs
