import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.urls import reverse

from portal.accounts.demo import DEMO_ACCOUNTS, seed_demo
from portal.accounts.models import Membership, User


@pytest.fixture
def demo(db):
    return seed_demo()


def test_seed_demo_is_idempotent(demo):
    counts = (User.objects.count(), Membership.objects.count())

    seed_demo()

    assert (User.objects.count(), Membership.objects.count()) == counts


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=[a.email for a in DEMO_ACCOUNTS])
def test_every_demo_account_signs_in_and_sees_its_dashboard(demo, client, account):
    response = client.post(
        reverse("account_login"), {"login": account.email, "password": settings.DEMO_PASSWORD}
    )
    if account.mfa:
        assert response.url == reverse("mfa_authenticate")
        code = format_hotp_value(hotp_value(settings.DEMO_TOTP_SECRET, int(time.time()) // 30))
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302

    dashboard = client.get(reverse("core:dashboard"))

    assert dashboard.status_code == 200
    assert account.name in dashboard.content.decode()


def test_demo_roles(demo):
    from portal.accounts import permissions

    by_email = {u.email: u for u in demo}
    assert permissions.is_coordinator(by_email["coordinator@example.jp"])
    assert permissions.is_org_admin(
        by_email["hachioji@example.jp"], by_email["hachioji@example.jp"].memberships.get().organization
    )
    assert by_email["psychiatrist@example.jp"].expert.panel_discipline == "medical"
    assert by_email["lawyer@example.jp"].expert.talent_bank_discipline == "legal"
    assert by_email["npo-a@example.jp"].memberships.get().organization.name == "キズキ"


@pytest.mark.django_db
def test_seed_demo_command_refuses_without_debug_or_flag(settings):
    import io

    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS]).exists()


@pytest.mark.django_db
def test_seed_demo_command_runs_with_the_flag(settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = False
    settings.DEMO_DATA_ALLOWED = False

    call_command("seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO())

    assert User.objects.filter(email="coordinator@example.jp").exists()


def _pdf_text(data: bytes) -> str:
    import subprocess

    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.mark.django_db
def test_demo_files_are_real_pdfs_with_japanese_text():
    from portal.guidebook import demo as guidebook_demo
    from portal.guidebook.models import MaterialVersion
    from portal.meetings import demo as meetings_demo
    from portal.meetings.models import Material

    seed_demo()
    meetings_demo.seed_demo()
    guidebook_demo.seed_demo()

    files = [(m.original_name, m.file) for m in Material.objects.all()]
    files += [(v.original_name, v.file) for v in MaterialVersion.objects.all()]
    assert len(files) >= 2
    for name, stored in files:
        with stored.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-") and len(data) > 1000, name
        text = _pdf_text(data)
        assert "東京都ひきこもりサポートネット" in text, (name, text[:200])
