"""Notification preferences: which areas also come by email; the in-portal notification always stays."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from portal.accounts import services as account_services
from portal.core import outbox
from portal.core.models import AuditEvent, Notification, NotificationPreference, OutboundEmail

from ..factories import UserFactory

Area = NotificationPreference.Area
URL = "core:notification_preferences"
EVERY_AREA = list(Area.values)


def _switch_off(user, *areas):
    from portal.core import services

    return services.notification_preferences_save(actor=user, email_off=areas)


def _checked(response, area):
    """Whether the checkbox of ``area`` is ticked on the page."""
    html = response.content.decode()
    start = html.index(f'value="{area}"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    return " checked" in tag


def _notification_emails(user):
    return OutboundEmail.objects.filter(to=user.email, kind="core/email/notification")


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_page_ticks_every_area_by_default_and_explains_what_always_stays(admin_a, login):
    response = login(admin_a).get(reverse(URL))

    assert response.status_code == 200
    html = response.content.decode()
    assert all(_checked(response, area) for area in EVERY_AREA)
    for label in (
        "ケース（多職種専門チーム）",
        "ネットワーク構築支援事業・ヒアリングシート",
        "専門職人材バンク",
        "交流会・合同相談会",
        "研修",
        "ガイドブック・資料",
        "アカウント・その他",
    ):
        assert label in html
    assert "<fieldset" in html and "<legend>メールでも受け取る分野" in html
    assert "常にポータル内の「お知らせ」に届きます" in html
    assert "招待、パスワードの再設定、多要素認証などのセキュリティに関するメールは" in html
    assert 'type="checkbox"' in html


@pytest.mark.django_db
def test_preferences_post_switches_the_unticked_areas_off_with_a_message_and_an_audit(admin_a, login):
    client = login(admin_a)
    ticked = [a for a in EVERY_AREA if a not in (Area.CASES, Area.TRAINING)]

    response = client.post(reverse(URL), {"email_areas": ticked}, follow=True)

    assert response.redirect_chain[-1] == (reverse(URL), 302)
    assert "メール通知の設定を保存しました。" in response.content.decode()
    assert NotificationPreference.objects.get(user=admin_a).email_off == [Area.CASES, Area.TRAINING]
    assert not _checked(response, Area.CASES) and not _checked(response, Area.TRAINING)
    assert _checked(response, Area.MEETINGS)
    event = AuditEvent.objects.get(action="notification_preferences.save")
    assert event.actor == admin_a
    assert event.details == {"email_off": ["cases", "training"]}


@pytest.mark.django_db
def test_preferences_post_with_nothing_ticked_switches_every_area_off(admin_a, login):
    login(admin_a).post(reverse(URL), {})

    assert NotificationPreference.objects.get(user=admin_a).email_off == EVERY_AREA


@pytest.mark.django_db
def test_preferences_are_the_signed_in_persons_own(admin_a, admin_b, client, login):
    _switch_off(admin_a, Area.CASES)

    login(admin_b, client)
    page = client.get(reverse(URL))
    assert _checked(page, Area.CASES)  # admin_a's choice is not shown to admin_b
    client.post(reverse(URL), {"email_areas": [Area.CASES], "user": admin_a.pk})

    assert NotificationPreference.objects.get(user=admin_a).email_off == [Area.CASES]
    b_off = NotificationPreference.objects.get(user=admin_b).email_off
    assert Area.CASES not in b_off and len(b_off) == len(EVERY_AREA) - 1


@pytest.mark.django_db
def test_preferences_unknown_area_is_refused_in_japanese_and_keeps_the_ticks(admin_a, login):
    response = login(admin_a).post(reverse(URL), {"email_areas": [Area.MEETINGS, "nonsense"]})

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-error-summary" in html and "正しく選択してください。" in html
    assert 'href="#id_email_areas_0"' in html
    assert _checked(response, Area.MEETINGS) and not _checked(response, Area.CASES)
    assert not NotificationPreference.objects.filter(user=admin_a).exists()


@pytest.mark.django_db
def test_preferences_page_queries_do_not_grow_with_areas_or_other_peoples_choices(
    admin_a, login, django_assert_num_queries
):
    client = login(admin_a)
    _switch_off(admin_a, Area.CASES)
    client.get(reverse(URL))  # warm process-wide caches (content types, translations)
    # the person with their profile, second factor and unread count (one statement), their
    # memberships, the page; the session comes from the cache and is not written
    with django_assert_num_queries(3) as one:
        response = client.get(reverse(URL))
    assert not _checked(response, Area.CASES) and _checked(response, Area.TRAINING)

    for _ in range(30):
        _switch_off(UserFactory(), *EVERY_AREA)
    _switch_off(admin_a, *EVERY_AREA[:-1])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse(URL))
    assert [a for a in EVERY_AREA if _checked(response, a)] == [EVERY_AREA[-1]]


# --- notify() honours the choice --------------------------------------------------------------


@pytest.mark.django_db
def test_notify_sends_no_email_for_an_area_switched_off_but_keeps_the_notification(admin_a):
    _switch_off(admin_a, Area.CASES)

    note = outbox.notify(user=admin_a, title="ケースが提出されました", url=reverse("casereviews:case_list"))
    outbox.notify(user=admin_a, title="研修の受付開始", url=reverse("training:catalogue"))

    assert Notification.objects.filter(pk=note.pk, user=admin_a).exists()
    assert Notification.objects.filter(user=admin_a).count() == 2
    subjects = list(_notification_emails(admin_a).values_list("subject", flat=True))
    assert len(subjects) == 1 and subjects[0].endswith("研修の受付開始")


@pytest.mark.django_db
def test_notify_sends_the_email_when_nothing_is_switched_off(admin_a):
    outbox.notify(user=admin_a, title="ケースが提出されました", url=reverse("casereviews:case_list"))

    assert _notification_emails(admin_a).count() == 1


@pytest.mark.django_db
def test_notify_preferences_of_another_person_do_not_matter(admin_a, admin_b):
    _switch_off(admin_b, *EVERY_AREA)

    outbox.notify(user=admin_a, title="研修の受付開始", url=reverse("training:catalogue"))

    assert _notification_emails(admin_a).count() == 1


@pytest.mark.django_db
def test_notify_explicit_area_wins_over_the_link(admin_a):
    _switch_off(admin_a, Area.GUIDEBOOK)

    outbox.notify(
        user=admin_a, title="資料を公開しました", url=reverse("core:dashboard"), area=Area.GUIDEBOOK
    )
    outbox.notify(user=admin_a, title="ケース", url=reverse("casereviews:case_list"), area=Area.GUIDEBOOK)

    assert Notification.objects.filter(user=admin_a).count() == 2
    assert _notification_emails(admin_a).count() == 0


@pytest.mark.django_db
def test_notify_refuses_an_unknown_area(admin_a):
    with pytest.raises(ValueError):
        outbox.notify(user=admin_a, title="x", area="nonsense")


@pytest.mark.django_db
def test_notify_a_real_service_honours_the_choice(admin_a, admin_b, org_a):
    """Accepting an invitation tells the inviter (an account notification) in the portal only."""
    _switch_off(admin_a, Area.ACCOUNT)
    _invitation, token = account_services.invitation_create(
        actor=admin_a, email="new@example.jp", organization=org_a
    )

    account_services.invitation_accept(token=token, password="a-Long-passw0rd!", display_name="新 人")

    assert Notification.objects.filter(user=admin_a).count() == 1
    assert _notification_emails(admin_a).count() == 0


@pytest.mark.parametrize(
    ("name", "kwargs", "area"),
    [
        ("casereviews:case_list", {}, Area.CASES),
        ("municipalities:programme_list", {}, Area.NETWORK),
        ("partners:slot_list", {}, Area.TALENT_BANK),
        ("meetings:event_list", {}, Area.MEETINGS),
        ("training:catalogue", {}, Area.TRAINING),
        ("guidebook:edition_list", {}, Area.GUIDEBOOK),
        ("accounts:organization_list", {}, Area.ACCOUNT),
        ("core:notification_list", {}, Area.ACCOUNT),
    ],
)
def test_area_for_url_follows_the_url_namespace(name, kwargs, area):
    assert outbox.area_for_url(reverse(name, kwargs=kwargs)) == area
    assert outbox.area_for_url(reverse(name, kwargs=kwargs) + "?page=2#top") == area
    assert outbox.area_for_url(settings.SITE_URL + reverse(name, kwargs=kwargs)) == area


@pytest.mark.parametrize(
    "url", ["", "/no/such/page/", "https://elsewhere.example.jp/cases/", "mailto:x@example.jp"]
)
def test_area_for_url_without_a_portal_link_is_account_and_other(url):
    assert outbox.area_for_url(url) == Area.ACCOUNT


# --- security emails are always sent ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_password_reset_is_sent_with_every_area_switched_off(admin_a, client):
    _switch_off(admin_a, *EVERY_AREA)

    client.post(reverse("account_reset_password"), {"email": admin_a.email})

    assert OutboundEmail.objects.filter(to=admin_a.email).count() == 1
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_invitation_is_sent_to_a_person_with_every_area_switched_off(admin_a, admin_b, org_a):
    _switch_off(admin_b, *EVERY_AREA)

    account_services.invitation_create(actor=admin_a, email=admin_b.email, organization=org_a)

    assert OutboundEmail.objects.filter(to=admin_b.email, kind="accounts/email/invitation").count() == 1
