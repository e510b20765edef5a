import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Membership, Organization
from portal.accounts.templatetags.organisations import organisation_rows

from ..factories import MembershipFactory, OrganizationFactory


@pytest.mark.django_db
def test_deactivating_a_member_ends_their_sessions(admin_a, member_a, org_a, client, django_user_model):
    from django.test import Client

    member_client = Client()
    member_client.force_login(member_a)
    assert member_client.get(reverse("core:dashboard")).status_code == 200
    membership = Membership.objects.get(user=member_a, organization=org_a)

    services.membership_deactivate(actor=admin_a, membership=membership, based_on_version=membership.version)

    response = member_client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_deactivated_member_no_longer_sees_the_organisation(admin_a, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    services.membership_deactivate(actor=admin_a, membership=membership, based_on_version=membership.version)
    member_a.refresh_from_db()
    client.force_login(member_a)

    assert client.get(reverse("accounts:organization_detail", args=[org_a.pk])).status_code == 404


@pytest.mark.django_db
def test_stale_deactivation_is_refused(admin_a, member_a, org_a):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    services.membership_set_role(actor=admin_a, membership=membership, role="admin", based_on_version=1)

    with pytest.raises(services.StaleEdit):
        services.membership_deactivate(actor=admin_a, membership=membership, based_on_version=1)
    membership.refresh_from_db()
    assert membership.is_active and membership.role == "admin"


@pytest.mark.django_db
def test_stale_role_change_in_the_ui_tells_the_user(admin_a, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    services.membership_set_role(actor=admin_a, membership=membership, role="admin", based_on_version=1)
    client.force_login(admin_a)

    response = client.post(
        reverse("accounts:membership_role", args=[membership.pk]),
        {"role": "member", "version": 1},
        follow=True,
    )

    assert "他の方がこの内容を変更しました" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "admin"


@pytest.mark.django_db
def test_last_admin_cannot_step_down(admin_a, org_a):
    membership = Membership.objects.get(user=admin_a, organization=org_a)

    with pytest.raises(ValidationError):
        services.membership_set_role(actor=admin_a, membership=membership, role="member", based_on_version=1)


@pytest.mark.django_db
def test_person_in_two_organisations_switches_the_active_one(admin_a, org_a, org_b, client):
    MembershipFactory(user=admin_a, organization=org_b)
    client.force_login(admin_a)

    client.post(reverse("accounts:switch_organization"), {"organization": org_b.pk, "next": "/"})
    response = client.get(reverse("core:dashboard"))

    assert response.context["active_membership"].organization == org_b


@pytest.mark.django_db
def test_switching_to_a_foreign_organisation_is_refused(admin_a, org_b, client):
    client.force_login(admin_a)

    response = client.post(reverse("accounts:switch_organization"), {"organization": org_b.pk}, follow=True)

    assert response.context["active_membership"].organization != org_b


@pytest.mark.django_db
def test_switch_ignores_an_offsite_next_url(admin_a, org_a, client):
    client.force_login(admin_a)

    response = client.post(
        reverse("accounts:switch_organization"), {"organization": org_a.pk, "next": "https://evil.example/"}
    )

    assert response.url == reverse("core:dashboard")


@pytest.mark.django_db
def test_coordinators_get_staff_flag_and_lose_it_with_membership(coordinator, secretariat):
    assert coordinator.is_staff
    other = MembershipFactory(organization=secretariat, role="admin").user
    membership = Membership.objects.get(user=coordinator)

    services.membership_deactivate(actor=other, membership=membership, based_on_version=membership.version)

    coordinator.refresh_from_db()
    assert not coordinator.is_staff


@pytest.mark.django_db
def test_org_list_filters_by_kind_and_name(coordinator, org_a, partner, client):
    client.force_login(coordinator)

    response = client.get(reverse("accounts:organization_list"), {"kind": "partner"})
    names = [o.name for o in response.context["organizations"]]

    assert partner.name in names and org_a.name not in names
    response = client.get(reverse("accounts:organization_list"), {"q": "甲"})
    assert [o.name for o in response.context["organizations"]] == ["甲市"]


@pytest.mark.django_db
def test_coordinator_adds_partner_with_locations(coordinator, org_a, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:organization_create"),
        {
            "legal_form": "NPO法人",
            "name": "みらい居場所",
            "branch": "",
            "kana": "みらいいばしょ",
            "support_types": ["freespace", "social"],
            "locations": [org_a.pk],
        },
    )

    assert response.status_code == 302
    from portal.accounts.models import Organization

    org = Organization.objects.get(name="みらい居場所")
    assert org.support_types == ["freespace", "social"] and list(org.locations.all()) == [org_a]


@pytest.mark.django_db
def test_partner_form_errors_keep_input(coordinator, client):
    client.force_login(coordinator)

    response = client.post(
        reverse("accounts:organization_create"), {"legal_form": "NPO法人", "name": "", "kana": "かな"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "このフィールドは必須です" in body
    assert 'value="かな"' in body


@pytest.mark.django_db
def test_ending_a_membership_asks_first_and_says_what_will_happen(admin_a, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    client.force_login(admin_a)

    detail = client.get(reverse("accounts:organization_detail", args=[org_a.pk])).content.decode()
    url = reverse("accounts:membership_deactivate", args=[membership.pk])
    page = client.get(url)

    assert f'href="{url}"' in detail
    assert page.status_code == 200
    text = page.content.decode()
    assert "この所属を終了しますか？" in text and "すべての端末でただちにサインアウトされます" in text
    assert member_a.email in text and f'name="version" value="{membership.version}"' in text
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.django_db
def test_ending_a_membership_from_the_confirmation_page_ends_it(admin_a, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    client.force_login(admin_a)

    response = client.post(
        reverse("accounts:membership_deactivate", args=[membership.pk]), {"version": membership.version}
    )

    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


@pytest.mark.django_db
def test_ending_a_membership_without_the_csrf_token_is_refused(admin_a, member_a, org_a):
    from django.test import Client

    membership = Membership.objects.get(user=member_a, organization=org_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)

    response = client.post(
        reverse("accounts:membership_deactivate", args=[membership.pk]), {"version": membership.version}
    )

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.django_db
def test_confirmation_page_of_another_organisations_membership_is_404(admin_b, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a, organization=org_a)
    client.force_login(admin_b)

    assert client.get(reverse("accounts:membership_deactivate", args=[membership.pk])).status_code == 404


@pytest.mark.django_db
def test_coordinator_dashboard_counts_every_organisation_without_an_admin_and_lists_eight(
    client, coordinator, org_a, admin_a
):
    lacking = [OrganizationFactory(name=f"管理者なし団体{i:02d}") for i in range(11)]
    # a former administrator and a plain member do not make an organisation administered
    MembershipFactory(organization=lacking[0], role=Membership.Role.ADMIN, is_active=False)
    MembershipFactory(organization=lacking[1], role=Membership.Role.MEMBER)
    OrganizationFactory(name="休止中の団体", is_active=False)
    client.force_login(coordinator)

    html = client.get(reverse("core:dashboard")).content.decode()

    assert "有効な団体のうち11団体に管理者がいません。" in html
    assert sum(org.name in html for org in lacking) == 8
    assert org_a.name not in html and "休止中の団体" not in html


@pytest.mark.django_db
def test_organisation_list_counts_active_members_and_admins_of_active_people_only(client, coordinator):
    org = OrganizationFactory(name="数える団体")
    MembershipFactory(organization=org, role=Membership.Role.ADMIN)
    MembershipFactory(organization=org)
    MembershipFactory(organization=org, is_active=False)
    MembershipFactory(organization=org, role=Membership.Role.ADMIN, user__is_active=False)
    client.force_login(coordinator)

    response = client.get(reverse("accounts:organization_list"), {"q": "数える団体"})

    rows = {o.name: (o.active_members, o.admin_count) for o in response.context["page"].object_list}
    assert rows == {"数える団体": (2, 1)}


@pytest.mark.django_db
def test_organisation_list_shows_each_partners_own_locations_in_their_order(client, coordinator):
    b, a, c = (
        OrganizationFactory(name="乙区", kana="おつく", code="131016"),
        OrganizationFactory(name="甲区", kana="こうく", code="131024"),
        OrganizationFactory(name="丙区", kana="へいく", code="131032"),
    )
    first = OrganizationFactory(kind=Organization.Kind.PARTNER, code=None, name="場所の多い団体")
    first.locations.set([c, a, b])
    second = OrganizationFactory(kind=Organization.Kind.PARTNER, code=None, name="場所の少ない団体")
    second.locations.set([c])
    OrganizationFactory(kind=Organization.Kind.PARTNER, code=None, name="場所のない団体")
    client.force_login(coordinator)

    response = client.get(reverse("accounts:organization_list"), {"kind": "partner", "q": "場所"})

    html = response.content.decode()
    rows = {r["name"]: r["locations"] for r in organisation_rows(response.context["page"].object_list)}
    assert rows == {"場所の多い団体": "乙区・甲区・丙区", "場所の少ない団体": "丙区", "場所のない団体": ""}
    assert "乙区・甲区・丙区" in html
