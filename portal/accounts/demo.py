"""Demo accounts for a newcomer's first look (``python manage.py seed_demo``). Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction

from portal.core import outbox

from . import services
from .models import ExpertProfile, Membership, Organization, User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    org: str | None  # organisation name (municipality or partner) or "secretariat"
    role: str = Membership.Role.MEMBER
    panel: str = ""
    talent_bank: str = ""
    mfa: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "coordinator@example.jp",
        "佐藤 まどか（サポートネット）",
        "secretariat",
        Membership.Role.ADMIN,
        mfa=True,
    ),
    DemoAccount(
        "counsellor@example.jp", "山本 あおい（相談員）", "secretariat", Membership.Role.COUNSELLOR, mfa=True
    ),
    DemoAccount("hachioji@example.jp", "八王子市 福祉部 担当者", "八王子市", Membership.Role.ADMIN),
    DemoAccount("bunkyo@example.jp", "文京区 保健福祉部 担当者", "文京区", Membership.Role.ADMIN),
    DemoAccount("npo-a@example.jp", "NPO法人キズキ 支援員", "キズキ"),
    DemoAccount("npo-b@example.jp", "NPO法人ピアサポートしぶや 支援員", "ピアサポートしぶや"),
    DemoAccount("lawyer@example.jp", "弁護士 高橋（人材バンク）", None, talent_bank="legal", mfa=True),
    DemoAccount("psychiatrist@example.jp", "精神科医 伊藤（専門チーム）", None, panel="medical", mfa=True),
]


def _organization(name: str) -> Organization:
    if name == "secretariat":
        return services.secretariat()
    return Organization.objects.get(
        name=name, kind__in=[Organization.Kind.MUNICIPALITY, Organization.Kind.PARTNER]
    )


def seed_demo(*, password: str | None = None) -> list[User]:
    password = password or settings.DEMO_PASSWORD
    if not Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).exists():
        services.load_reference_data()
    users = []
    with transaction.atomic():
        for acc in DEMO_ACCOUNTS:
            user = User.objects.filter(email=acc.email).first()
            if user is None:
                user = User.objects.create_user(email=acc.email, password=password, display_name=acc.name)
            EmailAddress.objects.update_or_create(
                user=user, email=acc.email, defaults={"verified": True, "primary": True}
            )
            if acc.org:
                org = _organization(acc.org)
                if not Membership.objects.filter(user=user, organization=org).exists():
                    services.membership_add(actor=None, user=user, organization=org, role=acc.role)
            if acc.panel or acc.talent_bank:
                ExpertProfile.objects.get_or_create(
                    user=user,
                    defaults={"panel_discipline": acc.panel, "talent_bank_discipline": acc.talent_bank},
                )
            if acc.mfa and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, settings.DEMO_TOTP_SECRET)
                RecoveryCodes.activate(user)
            users.append(user)
        by_email = {u.email: u for u in users}
        if not by_email["hachioji@example.jp"].notifications.exists():
            outbox.notify(
                user=by_email["hachioji@example.jp"],
                title="ポータルへようこそ",
                body="事前ヒアリングシートや研修の申込みはこのポータルから行えます。",
                email=False,
            )
    return users
