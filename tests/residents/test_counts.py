import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.core.models import SeatMode
from portal.residents import services

from .conftest import apply, apply_seminar

pytestmark = pytest.mark.django_db


def test_yearly_counts_by_service_venue_month_relationship_and_municipality(
    client, coordinator, day, seminar
):
    slot = day.slots.first()
    services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot)
    services.individual_assign(
        actor=coordinator, application=apply([slot], relationship="self", municipality="八王子市"), slot=slot
    )
    apply([slot])  # received only: not counted
    apply_seminar([seminar], mode=SeatMode.ONLINE)
    client.force_login(coordinator)

    response = client.get(reverse("residents:yearly_counts") + f"?year={day.fiscal_year}")

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["事業別", "会場別", "月別", "続柄別", "区市町村別"]
    service = [[c.value for c in row] for row in book["事業別"].iter_rows(min_row=2)]
    assert service[0][:2] == ["個別相談", 2]
    relation = {row[0].value: row[1].value for row in book["続柄別"].iter_rows(min_row=2)}
    assert relation["親"] == 1 and relation["本人"] == 1
    municipality = {(r[0].value, r[1].value): r[2].value for r in book["区市町村別"].iter_rows(min_row=2)}
    assert municipality[("個別相談", "八王子市")] == 1 and municipality[("個別相談", "足立区")] == 1
    venue = {(r[0].value, r[1].value): r[2].value for r in book["会場別"].iter_rows(min_row=2)}
    assert venue[("個別相談", "足立")] == 2
