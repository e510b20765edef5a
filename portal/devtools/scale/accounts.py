"""Scale data of accounts: municipalities of every prefecture, partner organisations, 50,000
people with their memberships, the expert panel and talent bank, and the bench accounts:

* ``coordinator@scale.example.jp`` (secretariat, TOTP), ``municipal@`` (admin of the largest
  municipality, which holds 15 % of all cases), ``partner@`` (admin of a partner organisation),
  ``expert@`` (panel and talent bank, TOTP). Password :data:`portal.core.scale.SCALE_PASSWORD`.
"""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password

from portal.accounts import services
from portal.accounts.models import ExpertProfile, Membership, Organization, User
from portal.devtools.scale import SCALE_PASSWORD, Plan, bulk, own_timestamps

PREFECTURES = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
]
SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
]
GIVEN = [
    "翔太",
    "陽菜",
    "蓮",
    "結衣",
    "大翔",
    "美咲",
    "悠真",
    "葵",
    "湊",
    "さくら",
    "健一",
    "由美",
    "誠",
    "恵子",
    "浩",
    "直子",
    "亮",
    "真理",
    "拓也",
    "愛",
]
BIG_MUNICIPALITY = "スケール市"
STAFF_PER_PARTNER = 20
COORDINATORS = 20
EXPERTS = 300


def check_digit(five: str) -> str:
    """全国地方公共団体コードの検査数字."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def generate(*, plan: Plan) -> None:
    if User.objects.filter(email=plan.email("coordinator")).exists():
        return
    if not Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).exists():
        services.load_reference_data()
    rng = plan.rng("accounts")
    secretariat = services.secretariat()
    existing = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).count()
    to_make = max(1, plan.size("municipalities") - existing)
    kinds = (
        [Organization.MunicipalityKind.CITY] * 5
        + [Organization.MunicipalityKind.TOWN] * 4
        + [Organization.MunicipalityKind.VILLAGE]
    )
    others = [p for p in PREFECTURES if p != "東京都"]
    municipalities = []
    for i in range(to_make):
        prefecture = 1 + (PREFECTURES.index(others[i % len(others)]))
        five = f"{prefecture:02d}{500 + i // len(others):03d}"
        kind = rng.choice(kinds)
        suffix = {"city": "市", "town": "町", "village": "村"}[kind]
        name = BIG_MUNICIPALITY if i == 0 else f"{others[i % len(others)]}第{i // len(others) + 1}{suffix}"
        municipalities.append(
            Organization(
                kind=Organization.Kind.MUNICIPALITY,
                name=name,
                code=five + check_digit(five),
                municipality_kind=Organization.MunicipalityKind.CITY if i == 0 else kind,
            )
        )
    bulk(Organization, municipalities)
    partners = [
        Organization(
            kind=Organization.Kind.PARTNER,
            name=f"スケール支援団体{i + 1:03d}",
            legal_form=rng.choice(["NPO法人", "一般社団法人", "社会福祉法人"]),
            support_types=rng.sample(["visit", "freespace", "social"], k=rng.randint(1, 3)),
        )
        for i in range(plan.size("partners"))
    ]
    bulk(Organization, partners)

    big = Organization.objects.get(kind=Organization.Kind.MUNICIPALITY, name=BIG_MUNICIPALITY)
    muni_ids = list(
        Organization.objects.filter(kind="municipality").order_by("pk").values_list("pk", flat=True)
    )
    partner_ids = list(
        Organization.objects.filter(kind="partner", name__startswith="スケール")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    password = make_password(SCALE_PASSWORD)
    total = plan.size("users", minimum=60)
    coordinators = max(2, round(COORDINATORS * min(1, plan.scale * 5)))
    experts = max(4, round(EXPERTS * plan.scale))
    partner_staff = min(len(partner_ids) * STAFF_PER_PARTNER, total // 8)
    municipal_staff = max(len(muni_ids), total - coordinators - experts - partner_staff)
    joined = plan.now - dt.timedelta(days=3650)

    def person(local: str, n: int) -> User:
        return User(
            email=plan.email(local),
            display_name=f"{SURNAMES[n % len(SURNAMES)]} {GIVEN[(n // len(SURNAMES)) % len(GIVEN)]}",
            password=password,
            date_joined=joined + dt.timedelta(minutes=n),
        )

    users = [person("coordinator", 0), person("municipal", 1), person("partner", 2), person("expert", 3)]
    users += [person(f"coordinator{i}", i) for i in range(1, coordinators)]
    users += [person(f"expert{i}", i) for i in range(1, experts)]
    users += [person(f"partner{i}", i) for i in range(1, partner_staff)]
    users += [person(f"municipal{i}", i) for i in range(1, municipal_staff)]
    with own_timestamps(User):
        bulk(User, users)
    ids = dict(User.objects.filter(email__endswith="@scale.example.jp").values_list("email", "pk"))
    bulk(
        EmailAddress,
        (EmailAddress(user_id=pk, email=email, verified=True, primary=True) for email, pk in ids.items()),
    )

    def member(local: str, org_id: int, role: str = Membership.Role.MEMBER) -> Membership:
        return Membership(user_id=ids[plan.email(local)], organization_id=org_id, role=role)

    memberships = [
        member("coordinator", secretariat.pk, Membership.Role.ADMIN),
        member("municipal", big.pk, Membership.Role.ADMIN),
        member("partner", partner_ids[0], Membership.Role.ADMIN),
    ]
    memberships += [member(f"coordinator{i}", secretariat.pk) for i in range(1, coordinators)]
    for i in range(1, partner_staff):
        role = Membership.Role.ADMIN if i % STAFF_PER_PARTNER == 0 else Membership.Role.MEMBER
        memberships.append(member(f"partner{i}", partner_ids[i % len(partner_ids)], role))
    # The largest municipality has 200 staff at full scale; the others share the rest.
    big_staff = max(2, round(200 * plan.scale))
    for i in range(1, municipal_staff):
        org_id = big.pk if i < big_staff else muni_ids[i % len(muni_ids)]
        role = Membership.Role.ADMIN if i % 25 == 0 else Membership.Role.MEMBER
        memberships.append(member(f"municipal{i}", org_id, role))
    bulk(Membership, memberships)

    panel = list(ExpertProfile.PanelDiscipline.values)
    bank = list(ExpertProfile.TalentBankDiscipline.values)
    profiles = [
        ExpertProfile(
            user_id=ids[plan.email("expert")], panel_discipline="medical", talent_bank_discipline="legal"
        )
    ]
    for i in range(1, experts):
        on_panel = i % 3 == 0
        profiles.append(
            ExpertProfile(
                user_id=ids[plan.email(f"expert{i}")],
                panel_discipline=panel[i % len(panel)] if on_panel else "",
                talent_bank_discipline="" if on_panel else bank[i % len(bank)],
                qualification=rng.choice(
                    ["弁護士", "精神科医", "公認心理師", "社会福祉士", "中小企業診断士"]
                ),
            )
        )
    bulk(ExpertProfile, profiles)
    for local in ("coordinator", "expert"):
        user = User.objects.get(email=plan.email(local))
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, settings.DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
