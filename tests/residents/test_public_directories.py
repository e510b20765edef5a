"""What a family opens on a phone: every public entry leads to a person (a partner's phone, the
Support Net's free dial where a municipality's window is still in preparation)."""

import pytest
from django.urls import reverse

from portal.directory import services as directory_services

pytestmark = pytest.mark.django_db


def test_partner_entry_carries_a_phone_shown_in_the_list_and_the_csv(
    coordinator, partner, partner_member, org_a, client
):
    entry = directory_services.entry_propose(
        actor=partner_member,
        organization=partner,
        based_on_version=None,
        data={
            "description": "居場所を運営しています。",
            "support_types": ["freespace"],
            "areas": [org_a],
            "address": "甲市1-1",
            "phone": "03-1111-2222",
            "website": "https://npo.example.jp/",
        },
    )
    directory_services.entry_approve(actor=coordinator, entry=entry, reviewed_version=entry.version)

    html = client.get(reverse("directory:partner_list")).content.decode()
    csv = b"".join(client.get(reverse("directory:partner_csv")).streaming_content).decode("utf-8-sig")

    assert 'href="tel:03-1111-2222"' in html and "甲市1-1" in html
    assert 'class="card-table"' in html and 'data-label="連絡先"' in html
    assert "電話番号" in csv.splitlines()[0] and "03-1111-2222" in csv


def test_window_in_preparation_shows_the_free_dial_and_mail_consultation(org_a, client):
    html = client.get(reverse("windows:window_directory")).content.decode()

    assert "準備中" in html
    assert 'href="tel:0120-529-528"' in html and 'href="/consultation/"' in html
