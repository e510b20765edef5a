"""The coordinator's pages: write, check, send, follow; and what they cost in queries."""

import pytest
from django.urls import reverse

from portal.core.models import OutboundEmail
from portal.mailings import services
from portal.mailings.models import Mailing, MailingRecipient

from ..factories import MembershipFactory
from ..queries import assert_flat
from .conftest import draft, make_event, registered, send

pytestmark = pytest.mark.django_db


def _compose(client, event, **data):
    return client.post(
        reverse("mailings:create", args=["event", event.pk]),
        {"group": "confirmed", "subject": "【ご案内】{日時}", "body": "{氏名}様\n{会場}にて", **data},
    )


def test_unknown_placeholder_is_refused_and_what_was_typed_is_kept(client, coordinator, event):
    client.force_login(coordinator)

    response = _compose(client, event, body="{氏名}様、{住所}へお越しください。")

    page = response.content.decode()
    assert response.status_code == 400
    assert "「{住所}」" in page
    assert "{氏名}様、{住所}へお越しください。" in page
    assert 'class="error-summary"' in page
    assert not Mailing.objects.exists()


def test_personal_data_warns_before_saving(client, coordinator, event):
    client.force_login(coordinator)

    response = _compose(client, event, body="担当の山田太郎さん（090-1234-5678）まで。")

    assert response.status_code == 400
    assert 'name="confirm"' in response.content.decode()
    assert not Mailing.objects.exists()


def test_confirmation_shows_the_count_and_one_letter(client, coordinator, event, org_a):
    registered(event, org_a, 2, display_name="佐藤 一郎")
    client.force_login(coordinator)
    response = _compose(client, event)
    mailing = Mailing.objects.get()
    assert response.url == reverse("mailings:confirm", args=[mailing.pk])

    page = client.get(response.url)

    assert page.context["count"] == 2
    assert "佐藤 一郎様" in page.context["preview_body"]
    assert "都庁会議室にて" in page.context["preview_body"]
    assert 'data-recipient-count="2"' in page.content.decode()


def test_confirmed_send_queues_the_count_shown_and_a_second_click_sends_nothing(
    client, coordinator, event, org_a, django_capture_on_commit_callbacks
):
    registered(event, org_a, 3)
    mailing = draft(coordinator, event)
    client.force_login(coordinator)
    shown = client.get(reverse("mailings:confirm", args=[mailing.pk])).context["count"]
    data = {"expected_count": shown, "version": mailing.version}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("mailings:confirm", args=[mailing.pk]), data)
        second = client.post(reverse("mailings:confirm", args=[mailing.pk]), data)

    assert first.url == second.url == reverse("mailings:detail", args=[mailing.pk])
    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == shown == 3
    assert MailingRecipient.objects.filter(mailing=mailing).count() == 3


def test_send_with_a_stale_count_shows_the_new_count(client, coordinator, event, org_a):
    registered(event, org_a, 1)
    mailing = draft(coordinator, event)
    client.force_login(coordinator)
    registered(event, org_a, 1)

    response = client.post(
        reverse("mailings:confirm", args=[mailing.pk]), {"expected_count": 1, "version": mailing.version}
    )

    assert response.status_code == 400
    assert response.context["count"] == 2
    mailing.refresh_from_db()
    assert mailing.status == "draft"


def test_progress_and_record_after_sending(client, coordinator, event, org_a):
    (person,) = registered(event, org_a)
    mailing = send(coordinator, draft(coordinator, event), event)
    services.mailing_run(mailing.pk)
    client.force_login(coordinator)

    status = client.get(reverse("mailings:status", args=[mailing.pk])).json()
    detail = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()

    assert (status["status"], status["done"], status["total"], status["finished"]) == ("done", 1, 1, True)
    assert person.get_full_name() in detail
    assert "甲市" in detail


def test_a_sent_mailing_cannot_be_edited(client, coordinator, event, org_a):
    registered(event, org_a)
    mailing = send(coordinator, draft(coordinator, event), event)
    client.force_login(coordinator)

    response = client.get(reverse("mailings:edit", args=[mailing.pk]))

    assert response.url == reverse("mailings:detail", args=[mailing.pk])


def test_organisation_mailing_form_saves_the_audience(client, coordinator, org_a, org_b):
    MembershipFactory(organization=org_b)
    client.force_login(coordinator)

    response = client.post(
        reverse("mailings:create_organizations"),
        {
            "kinds": ["municipality"],
            "municipality_kinds": ["ward"],
            "subject": "{団体名}の皆様へ",
            "body": "{氏名}様",
        },
    )

    mailing = Mailing.objects.get()
    assert response.status_code == 302
    assert mailing.audience["municipality_kinds"] == ["ward"]
    assert client.get(reverse("mailings:confirm", args=[mailing.pk])).context["count"] == 1


def test_source_page_links_to_the_mailing_form_for_coordinators_only(client, coordinator, admin_a, event):
    link = reverse("mailings:create", args=["event", event.pk])
    client.force_login(coordinator)
    assert link in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    client.force_login(admin_a)
    assert link not in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()


# --- queries: the same at 1 row and at many --------------------------------------------------


def test_mailing_list_queries(client, coordinator):
    client.force_login(coordinator)
    subjects = []

    def add(n):
        for i in range(n):
            subjects.append(f"お知らせ{len(subjects)}-{i}")
            services.mailing_create(
                actor=coordinator,
                source=Mailing.Source.ORGANIZATIONS,
                audience={"kinds": ["partner"]},
                subject=subjects[-1],
                body="本文",
            )

    assert_flat(client, reverse("mailings:list"), add)
    page = client.get(reverse("mailings:list")).content.decode()
    assert subjects[-1] in page


def test_mailing_detail_queries(client, coordinator, org_a):
    client.force_login(coordinator)
    event = make_event(coordinator)
    registered(event, org_a, 1)
    mailing = send(coordinator, draft(coordinator, event), event)
    services.mailing_run(mailing.pk)
    people = []

    def add(n):
        for person in registered(event, org_a, n):
            people.append(person)
            row = MailingRecipient.objects.create(mailing=mailing, user=person, organization=org_a)
            MailingRecipient.objects.filter(pk=row.pk).update(status="pending")
        services.send_batch(mailing, size=100)

    assert_flat(client, reverse("mailings:detail", args=[mailing.pk]), add)
    page = client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    assert people[-1].get_full_name() in page
