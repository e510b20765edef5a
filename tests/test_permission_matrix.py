"""Every URL pattern has a permission-matrix entry, and every entry is checked for
anonymous / other organisation / wrong role / right role.

Adding a URL without an entry here fails `test_every_url_pattern_has_an_entry`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.accounts import services as account_services
from portal.accounts.models import ExpertProfile, Membership
from portal.core import outbox

from .factories import NotificationFactory

LOGIN = "login"  # expected: redirect to the sign-in page


@dataclass
class World:
    org_a: object
    org_b: object
    coordinator: object
    admin_a: object
    member_a: object
    admin_b: object
    expert: object
    membership: Membership
    invitation: object
    token: str
    notification: object
    mail: object
    expert_profile: ExpertProfile


@pytest.fixture
def world(coordinator, org_a, org_b, admin_a, member_a, admin_b, expert):
    invitation, token = account_services.invitation_create(
        actor=admin_a, email="new@example.jp", organization=org_a, role=Membership.Role.MEMBER
    )
    return World(
        org_a=org_a,
        org_b=org_b,
        coordinator=coordinator,
        admin_a=admin_a,
        member_a=member_a,
        admin_b=admin_b,
        expert=expert,
        membership=Membership.objects.get(user=member_a, organization=org_a),
        invitation=invitation,
        token=token,
        notification=NotificationFactory(user=admin_a),
        mail=outbox.queue_email(to="x@example.jp", subject="s", body_text="b"),
        expert_profile=ExpertProfile.objects.get(user=expert),
    )


@dataclass
class Rule:
    method: str
    right: tuple[str, int]  # (actor attribute of World, expected status)
    wrong_role: tuple[str, int] | None = None  # expected 403
    other_org: tuple[str, int] | None = None  # expected 404
    anonymous: object = LOGIN  # LOGIN, or the status a public page answers
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    data: Callable[[World], dict] = field(default=lambda w: {})
    not_applicable: str = ""  # why wrong_role / other_org have no case


def org_a(w):
    return {"pk": w.org_a.pk}


def membership(w):
    return {"pk": w.membership.pk}


def version(w):
    return {"version": w.membership.version}


MATRIX: dict[str, Rule] = {
    "healthz": Rule("GET", right=("admin_a", 200), anonymous=200, not_applicable="public health check"),
    "set_language": Rule(
        "POST",
        right=("admin_a", 302),
        anonymous=302,
        data=lambda w: {"language": "en"},
        not_applicable="public",
    ),
    "core:dashboard": Rule("GET", right=("admin_a", 200), not_applicable="every signed-in person has one"),
    "core:notification_list": Rule("GET", right=("admin_a", 200), not_applicable="own notifications only"),
    "core:notification_read_all": Rule(
        "POST", right=("admin_a", 302), not_applicable="own notifications only"
    ),
    "core:notification_read": Rule(
        "POST",
        right=("admin_a", 302),
        other_org=("admin_b", 404),
        kwargs=lambda w: {"pk": w.notification.pk},
        not_applicable="no role distinction: a notification is its recipient's",
    ),
    "core:audit_list": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "core:audit_history": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("admin_a", 403),
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.org_a).pk,
            "object_id": str(w.org_a.pk),
        },
    ),
    "core:outbox_list": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "core:outbox_retry": Rule(
        "POST", right=("coordinator", 302), wrong_role=("admin_a", 403), kwargs=lambda w: {"pk": w.mail.pk}
    ),
    "accounts:organization_list": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "accounts:organization_create": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "accounts:switch_organization": Rule(
        "POST",
        right=("admin_a", 302),
        data=lambda w: {"organization": w.org_a.pk},
        not_applicable="switching only ever selects among one's own memberships",
    ),
    "accounts:organization_detail": Rule(
        "GET",
        right=("member_a", 200),
        other_org=("admin_b", 404),
        kwargs=org_a,
        not_applicable="every member may see their organisation",
    ),
    "accounts:organization_mfa_policy": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=org_a,
        data=lambda w: {"require_mfa": "on"},
    ),
    "accounts:organization_deactivate": Rule(
        "POST", right=("coordinator", 302), wrong_role=("admin_a", 403), kwargs=org_a
    ),
    "accounts:organization_reactivate": Rule(
        "POST", right=("coordinator", 302), wrong_role=("admin_a", 403), kwargs=org_a
    ),
    "accounts:invitation_create": Rule(
        "GET", right=("admin_a", 200), wrong_role=("member_a", 403), other_org=("admin_b", 404), kwargs=org_a
    ),
    "accounts:membership_deactivate": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=version,
    ),
    "accounts:membership_reactivate": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=version,
    ),
    "accounts:membership_role": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=membership,
        data=lambda w: {"role": "admin", "version": w.membership.version},
    ),
    "accounts:invitation_revoke": Rule(
        "POST",
        right=("admin_a", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
        kwargs=lambda w: {"pk": w.invitation.pk},
    ),
    "accounts:invitation_accept": Rule(
        "GET",
        right=("admin_a", 403),  # signed in as someone else: told to switch accounts
        anonymous=200,
        kwargs=lambda w: {"token": w.token},
        not_applicable="public: the secret token is the permission",
    ),
    "accounts:expert_list": Rule("GET", right=("coordinator", 200), wrong_role=("expert", 403)),
    "accounts:expert_invite": Rule("GET", right=("coordinator", 200), wrong_role=("admin_a", 403)),
    "accounts:expert_deactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("expert", 403),
        kwargs=lambda w: {"pk": w.expert_profile.pk},
    ),
    "accounts:expert_reactivate": Rule(
        "POST",
        right=("coordinator", 302),
        wrong_role=("expert", 403),
        kwargs=lambda w: {"pk": w.expert_profile.pk},
    ),
}

# django-allauth's own pages: public (answers without a session) or behind sign-in.
PUBLIC, SIGNED_IN = "public", "signed-in"
ALLAUTH: dict[str, tuple[str, dict]] = {
    "account_login": (PUBLIC, {}),
    "account_logout": (PUBLIC, {}),
    "account_inactive": (PUBLIC, {}),
    "account_signup": (PUBLIC, {}),  # shows "sign-up is closed"
    "account_reauthenticate": (SIGNED_IN, {}),
    "account_email": (SIGNED_IN, {}),
    "account_email_verification_sent": (PUBLIC, {}),
    "account_change_password": (SIGNED_IN, {}),
    "account_set_password": (SIGNED_IN, {}),
    "account_reset_password": (PUBLIC, {}),
    "account_confirm_login_code": (PUBLIC, {}),
    "account_confirm_email": (PUBLIC, {"key": "invalid-key"}),
    "account_reset_password_from_key_done": (PUBLIC, {}),
    "account_reset_password_from_key": (PUBLIC, {"uidb36": "zz", "key": "invalid"}),
    "account_reset_password_done": (PUBLIC, {}),
    "mfa_index": (SIGNED_IN, {}),
    "mfa_authenticate": (PUBLIC, {}),
    "mfa_reauthenticate": (SIGNED_IN, {}),
    "mfa_activate_totp": (SIGNED_IN, {}),
    "mfa_deactivate_totp": (SIGNED_IN, {}),
    "mfa_view_recovery_codes": (SIGNED_IN, {}),
    "mfa_generate_recovery_codes": (SIGNED_IN, {}),
    "mfa_download_recovery_codes": (SIGNED_IN, {}),
    "mfa_list_webauthn": (SIGNED_IN, {}),
    "mfa_add_webauthn": (SIGNED_IN, {}),
    "mfa_reauthenticate_webauthn": (SIGNED_IN, {}),
    "mfa_remove_webauthn": (SIGNED_IN, {"pk": 999999}),
    "mfa_edit_webauthn": (SIGNED_IN, {"pk": 999999}),
}


def all_url_names(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = (
                p.namespace if not namespace else (f"{namespace}:{p.namespace}" if p.namespace else namespace)
            )
            yield from all_url_names(p, ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}" if namespace else (p.name or f"<unnamed {p.pattern}>")


def test_every_url_pattern_has_an_entry():
    missing = [
        name
        for name in all_url_names()
        if name not in MATRIX and name not in ALLAUTH and not name.startswith("admin:")
    ]
    assert missing == [], f"URL patterns without a permission-matrix entry: {missing}"


def test_every_entry_states_all_four_cases():
    for name, rule in MATRIX.items():
        assert rule.right, name
        if rule.wrong_role is None or rule.other_org is None:
            assert rule.not_applicable or rule.other_org is None and rule.wrong_role, (
                f"{name}: say why a case does not apply"
            )


def _request(client, rule, w, name):
    url = reverse(name, kwargs=rule.kwargs(w))
    if rule.method == "POST":
        return client.post(url, rule.data(w))
    return client.get(url)


CASES = [
    (name, case)
    for name, rule in MATRIX.items()
    for case in ("anonymous", "right", "wrong_role", "other_org")
    if case in ("anonymous", "right") or getattr(rule, case) is not None
]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_permission_matrix(client, world, name, case):
    rule = MATRIX[name]
    if case != "anonymous":
        actor, expected = getattr(rule, case)
        client.force_login(getattr(world, actor))
    else:
        expected = rule.anonymous
    response = _request(client, rule, world, name)
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(reverse("account_login")), response.url
    else:
        assert response.status_code == expected, (name, case, response.status_code)


@pytest.mark.parametrize("name", sorted(ALLAUTH))
def test_allauth_pages(client, world, name):
    kind, kwargs = ALLAUTH[name]
    url = reverse(name, kwargs=kwargs)
    anonymous = client.get(url)
    if kind == PUBLIC:
        assert anonymous.status_code in (200, 302), anonymous.status_code
        if anonymous.status_code == 302:
            assert not anonymous.url.startswith(reverse("account_login") + "?next=")
    else:
        assert anonymous.status_code == 302
        assert anonymous.url.startswith(reverse("account_login"))
    client.force_login(world.admin_a)
    signed_in = client.get(url)
    assert signed_in.status_code in (200, 302, 404), signed_in.status_code


ADMIN_PAGES = ["admin:index", "admin:accounts_organization_changelist", "admin:core_auditevent_changelist"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_is_for_coordinators_only(client, world, name):
    url = reverse(name)
    anonymous = client.get(url, follow=True)
    final_url = anonymous.redirect_chain[-1][0]
    assert final_url.startswith(reverse("account_login")), "the admin signs in through allauth (with MFA)"
    client.force_login(world.admin_a)
    assert client.get(url, follow=True).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200


def test_admin_change_pages_answer_coordinators(client, world):
    client.force_login(world.coordinator)
    url = reverse("admin:accounts_organization_change", args=[world.org_a.pk])
    assert client.get(url).status_code == 200
    client.force_login(world.admin_a)
    assert client.get(url, follow=True).status_code == 403


def _row_counts():
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label not in {"sessions.Session"} and not m._meta.proxy
    }


GET_ENTRIES = [name for name, rule in MATRIX.items() if rule.method == "GET"]


@pytest.mark.parametrize("name", GET_ENTRIES)
def test_get_never_changes_state(client, world, name):
    rule = MATRIX[name]
    actor, _expected = rule.right
    client.force_login(getattr(world, actor))
    before = _row_counts()

    _request(client, rule, world, name)

    assert _row_counts() == before
