import pytest
from django.urls import reverse

from portal.subsidies.models import Application

from .conftest import draft

pytestmark = pytest.mark.django_db


def _post(application, **over):
    data = {
        "version": application.version,
        "project_name": "センター設置",
        "starts_on": "2026-06-01",
        "staffing": "社会福祉士",
        "partners": "",
        "plan": "計画",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
        "lines-0-category": "personnel",
        "lines-0-description": "報酬",
        "lines-0-planned": "1,000,000",
        "action": "save",
    }
    data.update(over)
    return data


def test_stale_edit_shows_both_versions_and_keeps_the_input(client, call, org_a, member_a, admin_a):
    application = draft(call, org_a, member_a)
    url = reverse("subsidies:application_edit", args=[application.pk])
    client.force_login(admin_a)
    assert client.post(url, _post(application, plan="管理者の計画")).status_code == 302

    client.force_login(member_a)
    response = client.post(url, _post(application, plan="職員の計画"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "管理者の計画" in page and "職員の計画" in page
    assert Application.objects.get(pk=application.pk).plan == "管理者の計画"


def test_bad_amount_gets_a_japanese_message_and_nothing_typed_is_lost(client, call, org_a, member_a):
    application = draft(call, org_a, member_a)
    client.force_login(member_a)

    response = client.post(
        reverse("subsidies:application_edit", args=[application.pk]),
        _post(application, **{"lines-0-planned": "百万円", "plan": "新しい計画"}),
    )

    page = response.content.decode()
    assert "金額は円単位の整数で入力してください" in page
    assert "新しい計画" in page and "百万円" in page
    assert Application.objects.get(pk=application.pk).plan == "相談窓口を開設する。"


def test_full_width_amounts_are_read(client, call, org_a, member_a):
    application = draft(call, org_a, member_a)
    client.force_login(member_a)
    client.post(
        reverse("subsidies:application_edit", args=[application.pk]),
        _post(application, **{"lines-0-planned": "１，２００，０００円"}),
    )
    assert Application.objects.get(pk=application.pk).lines.get().planned == 1_200_000
