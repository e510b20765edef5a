import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import ExpertProfile, Invitation, Membership, User
from portal.core.models import AuditEvent, OutboundEmail


def _link(message):
    return re.search(r"https?://\S+/invitations/accept/\S+/", message.body).group(0)


@pytest.mark.django_db(transaction=True)
def test_invitation_email_goes_through_the_outbox_with_a_single_use_link(coordinator, org_a, client):
    invitation, token = services.invitation_create(
        actor=coordinator, email="Tanaka@Example.jp", organization=org_a, role=Membership.Role.ADMIN
    )

    stored = OutboundEmail.objects.get(to="tanaka@example.jp")
    assert stored.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert invitation.token_hash != token and token not in str(Invitation.objects.values().get())

    url = reverse("accounts:invitation_accept", args=[token])
    response = client.post(
        url,
        {"display_name": "田中 花子", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="tanaka@example.jp")
    assert user.display_name == "田中 花子"
    assert Membership.objects.get(user=user, organization=org_a).role == Membership.Role.ADMIN
    assert EmailAddress.objects.get(user=user).verified, "the invitation proved the address"

    again = client.get(url)
    assert again.status_code == 404, "single use"


@pytest.mark.django_db
def test_invitation_expires_after_seven_days(admin_a, org_a, client):
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        _invitation, token = services.invitation_create(
            actor=admin_a, email="late@example.jp", organization=org_a
        )
    url = reverse("accounts:invitation_accept", args=[token])

    with time_machine.travel(dt.datetime(2026, 4, 8, 8, 59, tzinfo=dt.UTC), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(dt.datetime(2026, 4, 8, 9, 1, tzinfo=dt.UTC), tick=False):
        response = client.get(url)
        assert response.status_code == 404
        assert "7" in response.content.decode()


@pytest.mark.django_db
def test_org_admin_cannot_invite_to_another_organisation(admin_a, org_b):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=admin_a, email="x@example.jp", organization=org_b)


@pytest.mark.django_db
def test_member_cannot_invite(member_a, org_a):
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=member_a, email="x@example.jp", organization=org_a)


@pytest.mark.django_db
def test_existing_account_joins_second_organisation(admin_b, admin_a, org_a, org_b, client):
    _inv, token = services.invitation_create(actor=admin_b, email=admin_a.email, organization=org_b)
    client.force_login(admin_a)

    response = client.post(reverse("accounts:invitation_accept", args=[token]))

    assert response.status_code == 302
    assert set(Membership.objects.active().filter(user=admin_a).values_list("organization", flat=True)) == {
        org_a.pk,
        org_b.pk,
    }


@pytest.mark.django_db
def test_anonymous_with_existing_account_is_asked_to_sign_in(admin_b, admin_a, org_b, client):
    _inv, token = services.invitation_create(actor=admin_b, email=admin_a.email, organization=org_b)

    response = client.post(reverse("accounts:invitation_accept", args=[token]))

    assert response.status_code == 200
    assert not Membership.objects.filter(user=admin_a, organization=org_b).exists()


@pytest.mark.django_db
def test_invitation_form_keeps_input_and_explains_password_errors(admin_a, org_a, client):
    _inv, token = services.invitation_create(actor=admin_a, email="keep@example.jp", organization=org_a)

    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"display_name": "入力 保持", "password1": "short", "password2": "different"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="入力 保持"' in body
    assert "一致しません" in body
    assert not User.objects.filter(email="keep@example.jp").exists()


@pytest.mark.django_db
def test_revoked_invitation_cannot_be_used(admin_a, org_a, client):
    invitation, token = services.invitation_create(actor=admin_a, email="r@example.jp", organization=org_a)
    services.invitation_revoke(actor=admin_a, invitation=invitation)

    assert client.get(reverse("accounts:invitation_accept", args=[token])).status_code == 404


@pytest.mark.django_db
def test_new_invitation_replaces_pending_one(admin_a, org_a):
    first, _ = services.invitation_create(actor=admin_a, email="twice@example.jp", organization=org_a)
    services.invitation_create(actor=admin_a, email="twice@example.jp", organization=org_a)

    first.refresh_from_db()
    assert first.status == "revoked"


@pytest.mark.django_db
def test_already_member_cannot_be_invited_again(admin_a, member_a, org_a):
    with pytest.raises(ValidationError):
        services.invitation_create(actor=admin_a, email=member_a.email, organization=org_a)


@pytest.mark.django_db
def test_coordinator_invites_expert_who_gets_a_profile(coordinator, client):
    _inv, token = services.invitation_create(
        actor=coordinator, email="doc@example.jp", organization=None, panel_discipline="medical"
    )
    client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"display_name": "医師", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )

    profile = ExpertProfile.objects.get(user__email="doc@example.jp")
    assert profile.panel_discipline == "medical"


@pytest.mark.django_db
def test_invite_form_view_keeps_input_on_error(admin_a, member_a, org_a, client):
    client.force_login(admin_a)

    response = client.post(
        reverse("accounts:invitation_create", args=[org_a.pk]),
        {"email": member_a.email, "display_name": "重複 さん", "role": "member"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "既にこの団体のメンバーです" in body
    assert 'value="重複 さん"' in body


@pytest.mark.django_db
def test_invitation_is_audited_without_the_token(admin_a, org_a):
    invitation, token = services.invitation_create(actor=admin_a, email="a@example.jp", organization=org_a)

    event = AuditEvent.objects.get(action="invitation.create")
    assert event.actor == admin_a and event.organization == org_a
    assert event.object_id == str(invitation.pk)
    assert token not in str(event.details) and token not in event.object_repr
