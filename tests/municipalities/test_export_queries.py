"""The hearing-programme workbook costs the same queries for 1 and for many municipalities (it
read each sheet's latest revision and the year's questions once per sheet), and every sheet is in
it with the answers it shows on screen: the submitted revision, or the live draft."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from portal.municipalities.models import HearingSheet

from .test_query_counts import _municipalities_with_sheets

pytestmark = pytest.mark.django_db


def _export(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows, len(ctx.captured_queries)


def test_programme_export_queries_flat_with_every_sheet(client, coordinator, programme):
    url = reverse("municipalities:programme_export", args=[programme.pk])
    client.force_login(coordinator)
    _municipalities_with_sheets(coordinator, programme, 1)
    _municipalities_with_sheets(coordinator, programme, 1, submit=False)
    client.get(url)  # warm process-wide caches
    _rows, one = _export(client, url)
    submitted = _municipalities_with_sheets(coordinator, programme, 15)
    drafts = _municipalities_with_sheets(coordinator, programme, 15, submit=False)
    HearingSheet.objects.filter(pk=drafts[0].pk).update(answers={"department": "下書きの部署"})
    rows, many = _export(client, url)

    assert one == many
    by_name = {row[1]: row for row in rows[1:]}
    assert len(by_name) == 32
    assert all("福祉部" in by_name[s.organization.name] for s in submitted)
    assert "下書きの部署" in by_name[drafts[0].organization.name]
