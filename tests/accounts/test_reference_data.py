import csv

import pytest

from portal.accounts import services
from portal.accounts.models import Membership, Organization

from ..factories import MembershipFactory


@pytest.mark.django_db
def test_load_reference_data_creates_62_municipalities_with_codes_and_kana():
    result = services.load_reference_data()

    assert result.municipalities_created == 62
    munis = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY)
    assert munis.count() == 62
    hachioji = munis.get(name="八王子市")
    assert (hachioji.code, hachioji.kana, hachioji.municipality_kind) == ("132012", "はちおうじし", "city")
    assert munis.filter(municipality_kind="ward").count() == 23
    assert munis.filter(municipality_kind="village").count() == 8


@pytest.mark.django_db
def test_load_reference_data_creates_partners_with_support_types_and_locations():
    services.load_reference_data()

    partners = Organization.objects.filter(kind=Organization.Kind.PARTNER)
    assert partners.count() == 20
    center = partners.get(name="青少年自立援助センター")
    assert center.support_types == ["visit", "freespace", "social"]
    assert sorted(center.locations.values_list("name", flat=True)) == ["福生市", "足立区"]
    branch = partners.get(name="ワーカーズコープ")
    assert branch.branch == "しんじゅく若者総合支援センター"
    assert str(branch) == "NPO法人ワーカーズコープ（しんじゅく若者総合支援センター）"
    assert Organization.objects.filter(kind=Organization.Kind.SECRETARIAT).count() == 1


@pytest.mark.django_db
def test_load_reference_data_twice_changes_nothing():
    services.load_reference_data()
    ids = set(Organization.objects.values_list("pk", flat=True))

    second = services.load_reference_data()

    assert second.municipalities_created == 0 and second.partners_created == 0
    assert set(Organization.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_codes_in_reference_data_have_valid_check_digits():
    services.load_reference_data()
    for org in Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY):
        digits = [int(c) for c in org.code[:5]]
        total = sum(d * w for d, w in zip(digits, [6, 5, 4, 3, 2], strict=True))
        check = (11 - total % 11) % 10
        assert int(org.code[5]) == check, org


@pytest.mark.django_db
def test_later_year_adds_partner_and_deactivates_one_keeping_history(tmp_path, coordinator):
    services.load_reference_data()
    old = Organization.objects.get(name="グッド")
    member = MembershipFactory(organization=old, role=Membership.Role.ADMIN)
    src = services.reference_data_dir()
    (tmp_path / "tokyo_municipalities.csv").write_text(
        (src / "tokyo_municipalities.csv").read_text("utf-8"), "utf-8"
    )
    with open(src / "partner_organizations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows.append(
        {
            "name": "新しい居場所",
            "branch": "",
            "legal_form": "NPO法人",
            "support_types": "freespace",
            "locations": "八王子市",
        }
    )
    with open(tmp_path / "partner_organizations.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    services.load_reference_data(data_dir=tmp_path)
    services.organization_set_active(actor=coordinator, organization=old, active=False)

    assert Organization.objects.filter(kind="partner").count() == 21
    old.refresh_from_db()
    assert not old.is_active and old.deactivated_at is not None
    assert Membership.objects.filter(pk=member.pk).exists(), "history is kept"
    assert not Membership.objects.active().filter(pk=member.pk).exists()
