"""The consultation-window directory: editing one's own windows, the public list and downloads,
the yearly confirmation and the secretariat's reminders."""

import pytest
from django.urls import reverse

from portal.windows import services as window_services
from portal.windows.models import ConsultationWindow


def window_data(**overrides):
    data = {
        "name": "ひきこもり相談",
        "department": "福祉課",
        "phone": "03-1234-5678",
        "hours": "平日9-17時",
        "email": "",
        "web_url": "",
        "notes": "",
        "order": 1,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_window_phone_is_validated_and_normalised(member_a, org_a, client):
    client.force_login(member_a)

    bad = client.post(reverse("windows:window_create"), window_data(phone="12345", notes="残す備考"))
    assert "市外局番から電話番号を入力してください" in bad.content.decode()
    assert "残す備考" in bad.content.decode()

    client.post(reverse("windows:window_create"), window_data(phone="０４２－６２０－７２４２"))
    assert ConsultationWindow.objects.get(organization=org_a).phone == "042-620-7242"


@pytest.mark.django_db
def test_window_changes_are_audited_and_stale_edits_refused(member_a, admin_a, org_a, client):
    from portal.core.models import AuditEvent

    window = window_services.window_save(
        actor=member_a, organization=org_a, window=None, based_on_version=None, **window_data()
    )
    window_services.window_save(
        actor=admin_a,
        organization=org_a,
        window=window,
        based_on_version=1,
        **window_data(hours="平日8:30-17:15"),
    )
    client.force_login(member_a)

    response = client.post(
        reverse("windows:window_edit", args=[window.pk]), window_data(hours="土曜も受付", version=1)
    )

    assert "編集中に保存された内容" in response.content.decode()
    window.refresh_from_db()
    assert window.hours == "平日8:30-17:15"
    assert AuditEvent.objects.filter(action="window.update", details__fields=["hours"]).count() == 1


@pytest.mark.django_db
def test_public_directory_lists_all_62_grouped_and_searchable(client):
    from portal.accounts import services as account_services

    account_services.load_reference_data()
    from portal.accounts.models import Organization

    hachioji = Organization.objects.get(name="八王子市")
    ConsultationWindow.objects.create(
        organization=hachioji, name="八王子ひきこもり相談", phone="042-000-1234", accepts_home_visit=True
    )

    response = client.get(reverse("windows:window_directory"))
    groups = dict(response.context["groups"])
    assert len(groups["特別区"]) == 23 and len(groups["市"]) == 26 and len(groups["町村"]) == 13
    assert "八王子ひきこもり相談" in response.content.decode()

    found = client.get(reverse("windows:window_directory"), {"q": "ひきこもり相談"})
    names = [o.name for _t, orgs in found.context["groups"] for o in orgs]
    assert names == ["八王子市"]


@pytest.mark.django_db
def test_directory_csv_and_pdf(client, org_a):
    ConsultationWindow.objects.create(organization=org_a, name="=cmd|' /C calc'!A0", phone="03-1234-5678")

    csv = b"".join(client.get(reverse("windows:window_directory_csv")).streaming_content).decode("utf-8")
    assert csv.startswith("\ufeff地方公共団体コード")
    assert "'=cmd" in csv
    pdf = client.get(reverse("windows:window_directory_pdf"))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_unconfirmed_municipalities_are_listed_and_reminded(
    coordinator, member_a, org_a, org_b, admin_b, client
):
    from portal.core.models import Notification

    client.force_login(member_a)
    client.post(reverse("windows:window_confirm"))
    client.force_login(coordinator)

    status = client.get(reverse("windows:window_status"))
    rows = {o.name: o.confirmed for o in status.context["organizations"]}
    assert rows == {"甲市": True, "乙区": False}
    client.post(reverse("windows:window_remind"))
    assert Notification.objects.filter(user=admin_b, title__contains="相談窓口").count() == 1
    assert not Notification.objects.filter(user=member_a, title__contains="相談窓口").exists()


@pytest.mark.django_db
def test_window_form_labels_the_order_in_japanese(member_a, client):
    client.force_login(member_a)

    page = client.get(reverse("windows:window_create")).content.decode()

    assert "表示順" in page
    assert ">Order<" not in page and "Order（" not in page


@pytest.mark.django_db
def test_numbers_in_the_public_directory_are_not_personal_data(org_a):
    from portal.core import pii

    ConsultationWindow.objects.create(organization=org_a, name="ひきこもり相談窓口", phone="042-620-7355")

    found = pii.scan("市の窓口（042-620-7355）に相談した後、母の携帯090-1234-5678に連絡した。")

    assert [(f.kind, f.text) for f in found] == [("phone", "090-1234-5678")]
