"""Rotating MFA_ENCRYPTION_KEYS: after `rotate_mfa_keys`, the old key can be removed and every TOTP
secret and recovery code still verifies."""

import io
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.core.management import call_command

from ..factories import UserFactory, enroll_totp

SECRET = "JBSWY3DPEHPK3PXP"


def _code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


@pytest.mark.django_db
def test_totp_still_verifies_after_the_keys_are_rotated(settings):
    coordinator = UserFactory()
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    totp = enroll_totp(coordinator, SECRET)
    codes = RecoveryCodes.activate(coordinator)
    a_recovery_code = codes.get_unused_codes()[0]
    stored_before = totp.instance.data["secret"]

    settings.MFA_ENCRYPTION_KEYS = [new, old]  # step 1: the new key first, the old one still read
    call_command("rotate_mfa_keys", stdout=io.StringIO())
    settings.MFA_ENCRYPTION_KEYS = [new]  # step 2: the old key is gone

    totp_row = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    assert totp_row.data["secret"] != stored_before
    assert TOTP(totp_row).validate_code(_code())
    recovery_row = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.RECOVERY_CODES)
    assert a_recovery_code in RecoveryCodes(recovery_row).get_unused_codes()


@pytest.mark.django_db
def test_without_the_rotation_removing_the_old_key_breaks_totp(settings):
    coordinator = UserFactory()
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [old]
    enroll_totp(coordinator, SECRET)

    settings.MFA_ENCRYPTION_KEYS = [new]

    totp_row = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    with pytest.raises(ValueError):
        TOTP(totp_row).validate_code(_code())
