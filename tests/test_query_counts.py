"""Every list page costs the same number of queries at 1 row and at many rows."""

import pytest
from django.urls import reverse

from portal.accounts import services
from portal.core import audit, outbox

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    NotificationFactory,
    OrganizationFactory,
    PartnerFactory,
)
from .queries import assert_flat


@pytest.mark.django_db
def test_organization_list(coordinator, org_a, client):
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            PartnerFactory().locations.add(org_a)
            MembershipFactory(organization=OrganizationFactory())

    assert_flat(client, reverse("accounts:organization_list"), add)


@pytest.mark.django_db
def test_organization_detail_members_and_invitations(admin_a, org_a, client):
    client.force_login(admin_a)

    def add(n):
        for i in range(n):
            MembershipFactory(organization=org_a)
            services.invitation_create(actor=admin_a, email=f"p{i}-{n}@example.jp", organization=org_a)

    assert_flat(client, reverse("accounts:organization_detail", args=[org_a.pk]), add)


@pytest.mark.django_db
def test_notification_list(admin_a, client):
    client.force_login(admin_a)
    assert_flat(
        client, reverse("core:notification_list"), lambda n: NotificationFactory.create_batch(n, user=admin_a)
    )


@pytest.mark.django_db
def test_audit_list(coordinator, org_a, client):
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            audit.record(actor=coordinator, action="test.event", obj=org_a)

    assert_flat(client, reverse("core:audit_list"), add)


@pytest.mark.django_db
def test_outbox_list(coordinator, client):
    client.force_login(coordinator)

    def add(n):
        for _ in range(n):
            outbox.queue_email(to="x@example.jp", subject="s", body_text="b")

    assert_flat(client, reverse("core:outbox_list"), add)


@pytest.mark.django_db
def test_expert_list(coordinator, client):
    client.force_login(coordinator)

    def add(n):
        ExpertProfileFactory.create_batch(n)
        for i in range(n):
            services.invitation_create(
                actor=coordinator,
                email=f"e{i}-{n}@example.jp",
                organization=None,
                talent_bank_discipline="legal",
            )

    assert_flat(client, reverse("accounts:expert_list"), add)


@pytest.mark.django_db
def test_dashboard(coordinator, client):
    client.force_login(coordinator)

    def add(n):
        NotificationFactory.create_batch(n, user=coordinator)
        OrganizationFactory.create_batch(n)

    assert_flat(client, reverse("core:dashboard"), add)
