"""The public consultation-window CSV is streamed as read, at a fixed number of queries."""

import pytest
from django.urls import reverse

from portal.windows.models import ConsultationWindow

from ..exports import assert_flat
from ..factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_window_directory_csv_queries_flat(client):
    def add(n):
        for i in range(n):
            ConsultationWindow.objects.create(
                organization=OrganizationFactory(), name=f"相談窓口{i}", phone="03-1234-5678"
            )

    rows, queries = assert_flat(client, reverse("windows:window_directory_csv"), add, fmt=None, kind="csv")

    assert queries <= 30
    assert rows[0][0] == "地方公共団体コード"
    assert len(rows) == 26
