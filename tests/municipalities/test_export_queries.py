"""The hearing-programme workbook costs the same queries for 1 and for many municipalities (it
read each sheet's latest revision and the year's questions once per sheet), and every sheet is in
it with the answers it shows on screen: the submitted revision, or the live draft."""

import pytest
from django.urls import reverse

from portal.municipalities.models import HearingSheet

from ..exports import export
from .test_query_counts import _municipalities_with_sheets

pytestmark = pytest.mark.django_db


def _export(client, url):
    return export(client, url, fmt=None)


def test_programme_export_queries_flat_with_every_sheet(client, coordinator, programme):
    url = reverse("municipalities:programme_export", args=[programme.pk])
    client.force_login(coordinator)
    _municipalities_with_sheets(coordinator, programme, 1)
    _municipalities_with_sheets(coordinator, programme, 1, submit=False)
    _export(client, url)  # warm process-wide caches
    _rows, one = _export(client, url)
    submitted = _municipalities_with_sheets(coordinator, programme, 15)
    drafts = _municipalities_with_sheets(coordinator, programme, 15, submit=False)
    HearingSheet.objects.filter(pk=drafts[0].pk).update(answers={"department": "下書きの部署"})
    rows, many = _export(client, url)

    assert one == many <= 30
    by_name = {row[1]: row for row in rows[1:]}
    assert len(by_name) == 32
    assert all("福祉部" in by_name[s.organization.name] for s in submitted)
    assert "下書きの部署" in by_name[drafts[0].organization.name]
