import datetime as dt
import time

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Membership

from ..factories import MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"


def totp_now(secret=None):
    return format_hotp_value(hotp_value(secret or settings.DEMO_TOTP_SECRET, int(time.time()) // 30))


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client, password=PASSWORD):
    """allauth asks for the password again before MFA can be changed."""
    return client.post(reverse("account_reauthenticate"), {"password": password})


@pytest.mark.django_db
def test_sign_in_with_email_and_password_gives_a_new_session_key(admin_a, client):
    client.get(reverse("account_login"))
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    before = before.value if before else None

    response = sign_in(client, admin_a.email)

    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


@pytest.mark.django_db
def test_login_page_is_japanese_even_for_an_english_browser(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    body = response.content.decode()
    assert '<html lang="ja">' in body and "ログイン" in body


@pytest.mark.django_db
def test_language_switch_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in body and "Sign in" in body


@pytest.mark.django_db
def test_coordinator_sign_in_requires_totp(coordinator, client):
    response = sign_in(client, coordinator.email)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert client.get(reverse("core:dashboard")).status_code == 302, "not signed in before the code"

    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})

    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_wrong_totp_code_is_refused_in_japanese(coordinator, client):
    sign_in(client, coordinator.email)

    response = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if totp_now() != "000000" else "111111"}
    )

    assert response.status_code == 200
    assert "コード" in response.content.decode()


@pytest.mark.django_db
def test_coordinator_without_mfa_must_set_it_up_first(secretariat, client):
    user = UserFactory()
    services.membership_add(actor=None, user=user, organization=secretariat, role=Membership.Role.MEMBER)
    sign_in(client, user.email)

    response = client.get(reverse("accounts:organization_list"))

    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).url.startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
def test_expert_without_mfa_must_set_it_up(client):
    from ..factories import ExpertProfileFactory

    expert = ExpertProfileFactory().user
    client.force_login(expert)

    assert client.get(reverse("core:dashboard")).url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_organisation_can_require_mfa_for_its_members(admin_a, member_a, org_a, client):
    client.force_login(member_a)
    assert client.get(reverse("core:dashboard")).status_code == 200

    services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=True)

    assert client.get(reverse("core:dashboard")).url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_totp_setup_stores_an_encrypted_secret(secretariat, client):
    user = UserFactory()
    services.membership_add(actor=None, user=user, organization=secretariat, role=Membership.Role.MEMBER)
    sign_in(client, user.email)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})

    assert response.status_code == 302
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert stored.startswith("fernet:") and secret not in stored
    assert get_mfa_adapter().decrypt(stored) == secret
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_recovery_codes_seed_is_encrypted(coordinator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(coordinator)

    assert codes.instance.data["seed"].startswith("fernet:")
    assert len(codes.get_unused_codes()) == 10


def test_mfa_keys_can_be_rotated(settings):
    old_key = settings.MFA_ENCRYPTION_KEYS[0]
    adapter = get_mfa_adapter()
    token = adapter.encrypt("JBSWY3DPEHPK3PXP")

    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    rotated = get_mfa_adapter()

    assert rotated.decrypt(token) == "JBSWY3DPEHPK3PXP"
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError):
        get_mfa_adapter().decrypt(token)


@pytest.mark.django_db
def test_failed_sign_ins_are_rate_limited_per_account(admin_a, client):
    for _ in range(5):
        response = sign_in(client, admin_a.email, password="wrong-password")
        assert response.status_code == 200

    response = sign_in(client, admin_a.email)  # even the right password, for now

    assert response.status_code in (200, 429)
    assert client.get(reverse("core:dashboard")).status_code == 302


@pytest.mark.django_db
def test_session_ends_after_30_idle_minutes(admin_a, client):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)) as traveller:
        sign_in(client, admin_a.email)
        assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_session_ends_after_12_hours_however_active(admin_a, client):
    with time_machine.travel(dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)) as traveller:
        sign_in(client, admin_a.email)
        for _ in range(int(12 * 60 / 25)):
            traveller.shift(dt.timedelta(minutes=25))
            assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(dt.timedelta(minutes=25))
        response = client.get(reverse("core:dashboard"))

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_open_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.jp", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1"},
    )

    from portal.accounts.models import User

    assert not User.objects.filter(email="x@example.jp").exists()
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_goes_through_the_outbox(admin_a, client):
    from django.core import mail

    from portal.core.models import OutboundEmail

    client.post(reverse("account_reset_password"), {"email": admin_a.email})

    stored = OutboundEmail.objects.get(to=admin_a.email)
    assert stored.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_person_in_mfa_org_and_plain_org_needs_mfa(admin_a, org_b, client):
    MembershipFactory(user=admin_a, organization=org_b)
    org_b.require_mfa = True
    org_b.save()
    client.force_login(admin_a)

    assert client.get(reverse("core:dashboard")).url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_a_page_view_within_a_minute_writes_no_session_but_activity_still_counts(admin_a, client):
    """The idle clock is kept to the minute: a page a few seconds after the last one reads the session
    and writes nothing back; a page a minute later moves the clock (so the idle timeout still holds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)) as traveller:
        sign_in(client, admin_a.email)
        client.get(reverse("core:dashboard"))
        traveller.shift(dt.timedelta(seconds=20))
        with CaptureQueriesContext(connection) as quick:
            assert client.get(reverse("core:dashboard")).status_code == 200
        traveller.shift(dt.timedelta(minutes=2))
        with CaptureQueriesContext(connection) as later:
            assert client.get(reverse("core:dashboard")).status_code == 200

    def session_writes(queries):
        return [
            q["sql"]
            for q in queries
            if "django_session" in q["sql"] and q["sql"].lstrip().startswith(("UPDATE", "INSERT"))
        ]

    assert session_writes(quick.captured_queries) == []
    assert len(session_writes(later.captured_queries)) == 1
