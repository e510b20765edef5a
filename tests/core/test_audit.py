import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Membership
from portal.core.models import AuditEvent


@pytest.mark.django_db
def test_writes_through_the_web_record_who_where_what(admin_a, member_a, org_a, client):
    membership = Membership.objects.get(user=member_a)
    client.force_login(admin_a)

    client.post(
        reverse("accounts:membership_role", args=[membership.pk]),
        {"role": "admin", "version": membership.version},
        REMOTE_ADDR="203.0.113.7",
    )

    event = AuditEvent.objects.get(action="membership.role")
    assert event.actor == admin_a and event.actor_email == admin_a.email
    assert event.organization == org_a
    assert event.ip_address == "203.0.113.7"
    assert event.content_type == ContentType.objects.get_for_model(Membership)
    assert event.object_id == str(membership.pk)
    assert event.details == {"role": "admin"}


@pytest.mark.django_db
def test_sign_in_is_recorded(admin_a, client):
    client.post(
        reverse("account_login"),
        {"login": admin_a.email, "password": "correct-horse-battery"},
        REMOTE_ADDR="198.51.100.1",
    )

    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == admin_a and event.ip_address == "198.51.100.1"


@pytest.mark.django_db
def test_coordinator_sees_an_objects_history(coordinator, admin_a, org_a, client):
    services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=True)
    client.force_login(coordinator)

    response = client.get(
        reverse("core:audit_history", args=[ContentType.objects.get_for_model(org_a).pk, org_a.pk])
    )

    assert response.status_code == 200
    assert [e.action for e in response.context["page"]] == ["organization.mfa_policy"]


@pytest.mark.django_db
def test_history_of_unknown_object_is_404(coordinator, client):
    client.force_login(coordinator)

    assert client.get(reverse("core:audit_history", args=[99999, "1"])).status_code == 404


@pytest.mark.django_db
def test_audit_log_filters_by_action_and_organisation(coordinator, admin_a, admin_b, org_a, org_b, client):
    services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=True)
    services.organization_set_mfa_policy(actor=admin_b, organization=org_b, require_mfa=True)
    client.force_login(coordinator)

    response = client.get(reverse("core:audit_list"), {"action": "organization.", "organization": org_b.name})

    assert [e.organization for e in response.context["page"]] == [org_b]


@pytest.mark.django_db
def test_audit_never_stores_free_text_of_the_record(admin_a, org_a):
    invitation, token = services.invitation_create(
        actor=admin_a, email="secret.person@example.jp", display_name="秘密 花子", organization=org_a
    )

    for event in AuditEvent.objects.all():
        blob = f"{event.details}{event.object_repr}"
        assert "秘密 花子" not in blob and token not in blob


@pytest.mark.django_db
def test_object_history_query_count(coordinator, admin_a, org_a, client):
    from ..queries import assert_flat

    client.force_login(coordinator)
    url = reverse("core:audit_history", args=[ContentType.objects.get_for_model(org_a).pk, org_a.pk])

    def add(n):
        for i in range(n):
            services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=bool(i % 2))

    assert_flat(client, url, add)


@pytest.mark.django_db
def test_audit_names_an_object_by_model_and_key_unless_it_offers_a_safe_label(admin_a):
    from portal.core import audit
    from portal.core.models import Notification

    note = Notification.objects.create(user=admin_a, title="山田花子さんの件")

    event = audit.record(actor=admin_a, action="test.read", obj=note)

    assert "山田" not in event.object_repr
    assert event.object_repr == f"{Notification._meta.verbose_name} #{note.pk}"


@pytest.mark.django_db
def test_audit_log_finds_actions_by_the_japanese_words_people_see(coordinator, admin_a, org_a, client):
    services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=True)
    client.force_login(admin_a)  # records auth.login
    client.force_login(coordinator)

    by_word = client.get(reverse("core:audit_list"), {"action": "ログイン"})
    by_code = client.get(reverse("core:audit_list"), {"action": "organization."})

    assert {e.action for e in by_word.context["page"]} == {"auth.login"}
    assert {e.action for e in by_code.context["page"]} == {"organization.mfa_policy"}


def test_audit_date_filters_say_they_are_dates():
    from portal.core.filters import AuditEventFilter

    fields = AuditEventFilter().form.fields
    assert str(fields["since"].label) == "開始日"
    assert str(fields["until"].label) == "終了日（この日を含む）"


def test_every_model_has_a_japanese_name_for_the_audit_trail():
    from django.apps import apps
    from django.utils import translation

    from portal.core.labels import model_label

    with translation.override("ja"):
        english = [
            m._meta.label
            for m in apps.get_models()
            if m.__module__.startswith("portal.") and model_label(m).isascii()
        ]
    assert english == []


@pytest.mark.django_db
def test_audit_names_a_certificate_by_its_number(admin_a):
    from django.utils import translation

    from portal.core import audit
    from portal.training.models import Certificate

    certificate = Certificate(pk=7, number="R8-00001")
    with translation.override("en"):  # stored in the portal's language whoever's page recorded it
        label = audit.object_label(certificate)

    assert label == "修了証（R8-00001）"
