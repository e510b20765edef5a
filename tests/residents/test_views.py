import re

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.core.models import OutboundEmail, SeatStatus
from portal.residents import links, services
from portal.residents.models import IndividualApplication, Page, SeminarApplication
from portal.residents.pages_content import ALL

from .conftest import APPLICANT, SEMINAR_APPLICANT, apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    from django.utils import timezone

    for kind, content in ALL.items():
        services.page_create(kind=kind, publish_from=timezone.now(), **content)


def _form(day, **extra):
    slots = list(day.slots.all())
    data = {
        **APPLICANT,
        "preference1": slots[0].pk,
        "preference2": slots[1].pk,
        "preference3": "",
        "website": "",
    }
    return {k: ("" if v is None else v) for k, v in {**data, **extra}.items()}


def test_entrance_leads_with_residents_and_one_tap_reaches_how_to_consult(client, pages):
    html = client.get("/").content.decode()

    residents_at = html.index("困っているご本人・ご家族の方へ")
    assert residents_at < html.index(reverse("directory:partner_list"))
    assert reverse("residents:methods") in html[residents_at : residents_at + 1500]
    methods = client.get(reverse("residents:methods")).content.decode()
    assert "0120-529-528" in methods and "月曜日～土曜日" in methods and "3営業日以内" in methods
    assert reverse("windows:window_directory") in methods


def test_application_shows_a_confirmation_screen_before_anything_is_sent(client, day):
    response = client.post(reverse("residents:individual_apply"), _form(day))

    assert response.status_code == 200
    html = response.content.decode()
    assert "入力内容をご確認ください" in html and "山田 花子" in html
    assert not IndividualApplication.objects.exists()

    sent = client.post(reverse("residents:individual_apply"), {**_form(day), "send": "1"})

    assert sent.status_code == 302 and sent.url == reverse("residents:thanks")
    assert IndividualApplication.objects.get().name == "山田 花子"


def test_back_and_change_keeps_what_was_typed(client, day):
    response = client.post(reverse("residents:individual_apply"), {**_form(day), "edit": "1"})
    assert 'value="山田 花子"' in response.content.decode()
    assert not IndividualApplication.objects.exists()


def test_errors_are_summarised_and_required_fields_marked(client, day):
    response = client.post(reverse("residents:individual_apply"), _form(day, phone="abc", name=""))
    html = response.content.decode()
    assert "error-summary" in html and "（必須）" in html
    assert 'href="#id_phone"' in html


def test_honeypot_gets_the_same_thanks_and_saves_nothing(client, day):
    response = client.post(
        reverse("residents:individual_apply"), {**_form(day), "send": "1", "website": "http://spam"}
    )
    assert response.status_code == 302 and response.url == reverse("residents:thanks")
    assert not IndividualApplication.objects.exists()


def test_applying_twice_gives_the_same_answer(client, day):
    first = client.post(reverse("residents:individual_apply"), {**_form(day), "send": "1"})
    second = client.post(reverse("residents:individual_apply"), {**_form(day), "send": "1"})
    assert first.status_code == second.status_code == 302 and first.url == second.url


@override_settings(RESIDENTS_FORM_LIMIT_PER_IP=2, RESIDENTS_FORM_LIMIT_PER_CONTACT=100)
def test_too_many_sends_from_one_address_are_refused_with_the_phone_number(client, day):
    for n in range(2):
        assert (
            client.post(
                reverse("residents:individual_apply"),
                {**_form(day, email=f"a{n}@example.jp", phone=f"090-0000-000{n}"), "send": "1"},
            ).status_code
            == 302
        )
    third = client.post(
        reverse("residents:individual_apply"),
        {**_form(day, email="c@example.jp", phone="090-0000-0009"), "send": "1"},
    )
    assert third.status_code == 429
    assert "0120-529-528" in third.content.decode()
    assert IndividualApplication.objects.count() == 2


@override_settings(RESIDENTS_FORM_LIMIT_PER_IP=100, RESIDENTS_FORM_LIMIT_PER_CONTACT=2)
def test_too_many_sends_for_one_contact_are_refused_even_from_other_addresses(client, day):
    for n in range(2):
        client.post(
            reverse("residents:individual_apply"), {**_form(day), "send": "1"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    third = client.post(
        reverse("residents:individual_apply"), {**_form(day), "send": "1"}, REMOTE_ADDR="10.0.0.9"
    )
    assert third.status_code == 429
    assert IndividualApplication.objects.count() == 2


def test_seminar_application_for_several_dates_through_the_form(client, seminar, coordinator, weekend_day):
    import datetime as dt

    other = services.seminar_create(
        actor=coordinator,
        fiscal_year=seminar.fiscal_year,
        number=2,
        date=weekend_day.date + dt.timedelta(days=7),
        venue="adachi",
        theme="二回目",
        lecturer="家族会",
    )
    data = {**SEMINAR_APPLICANT, "mode": "online", "seminars": [seminar.pk, other.pk], "website": ""}
    confirm = client.post(reverse("residents:seminar_apply"), data)
    assert "入力内容をご確認ください" in confirm.content.decode()

    client.post(reverse("residents:seminar_apply"), {**data, "send": "1"})

    application = SeminarApplication.objects.get()
    assert application.seats.filter(status=SeatStatus.CONFIRMED, mode="online").count() == 2


def test_cancel_link_confirms_first_then_cancels_once_without_an_account(client, day, coordinator):
    slot = day.slots.first()
    application = services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot)
    url = reverse("residents:manage", args=[links.make_token(application)])

    page = client.get(url)
    assert page.status_code == 200 and application.reference in page.content.decode()
    ask = client.post(url, {"action": "cancel"})
    assert "取り消しは元に戻せません" in ask.content.decode()
    application.refresh_from_db()
    assert application.status == IndividualApplication.Status.CONFIRMED

    client.post(url, {"action": "cancel", "confirm": "yes"})

    application.refresh_from_db()
    assert application.status == IndividualApplication.Status.CANCELLED
    assert client.get(url).status_code == 404  # the link has done its one job


def test_expired_link_opens_nothing(client, day):
    application = apply(day.slots.all()[:1])
    token = links.make_token(application)
    with override_settings(RESIDENTS_LINK_DAYS=-1):
        assert client.get(reverse("residents:manage", args=[token])).status_code == 404


def test_receipt_letter_says_what_when_and_how_to_cancel(day):
    slots = list(day.slots.all())[:2]
    application = apply(slots)
    letter = OutboundEmail.objects.get(kind="residents/email/individual_received")

    body = letter.body_text
    assert letter.subject.endswith("個別相談のお申込みを受け付けました")
    assert body.startswith("山田 花子 様")
    assert "ご希望の日時" in body and "1. 令和" in body and "2. 令和" in body
    assert re.search(r"令和\d+年\d+月\d+日（.）10:00–11:00（足立）", body)
    assert links.manage_url(application) in body
    assert "フリーダイヤル 0120-529-528" in body
    assert "{%" not in body and "{{" not in body


def test_confirmation_letter_has_the_date_place_and_calendar(day, coordinator):
    slot = day.slots.all()[2]
    services.individual_assign(actor=coordinator, application=apply([slot]), slot=slot)
    letter = OutboundEmail.objects.get(kind="residents/email/individual_confirmed")

    assert "個別相談の日時が決まりました" in letter.subject
    assert re.search(r"日時：令和\d+年\d+月\d+日（.）13:15–14:15", letter.body_text)
    assert "場所：足立" in letter.body_text
    ics = letter.attachments[0]["content"]
    assert "BEGIN:VEVENT" in ics and "個別相談" in ics


def test_phone_application_goes_into_the_same_day(client, login, coordinator, day):
    slot = day.slots.first()
    web = apply([slot])
    client.force_login(coordinator)
    data = {**_form(day, preference2=""), "channel": "phone", "email": ""}

    response = client.post(reverse("residents:phone_application"), data)

    phone = IndividualApplication.objects.exclude(pk=web.pk).get()
    assert response.status_code == 302 and phone.channel == "phone" and phone.entered_by == coordinator
    for a in (web, phone):
        services.individual_assign(actor=coordinator, application=a, slot=slot, told_by="phone")
    sheet = client.get(reverse("residents:day_detail", args=[day.pk])).content.decode()
    assert web.reference in sheet and phone.reference in sheet and "（2/2）" in sheet


def test_page_edit_previews_keeps_history_and_guards_personal_data(client, coordinator, pages):
    client.force_login(coordinator)
    page = Page.objects.get(kind="cases")
    data = {
        "title": page.title,
        "lead": page.lead,
        "body": "## 事例\n\n山田太郎さん（090-1234-5678）が相談しました。",
        "publish_from": "",
        "version": page.version,
    }

    preview = client.post(reverse("residents:page_edit", args=["cases"]), {**data, "preview": "1"})
    assert "<h2>事例</h2>" in preview.content.decode()
    blocked = client.post(reverse("residents:page_edit", args=["cases"]), data)
    assert "個人情報" in blocked.content.decode()
    page.refresh_from_db()
    assert "090-1234-5678" not in page.body

    client.post(
        reverse("residents:page_edit", args=["cases"]), {**data, "body": "## 事例\n\n30代の方のご相談です。"}
    )

    page.refresh_from_db()
    assert page.version == 2 and page.publish_from is None
    assert list(page.revisions.values_list("version", flat=True)) == [2, 1]
    assert client.get(reverse("residents:examples")).status_code == 404  # a draft is not public


def test_a_stale_page_edit_keeps_both_texts(client, coordinator, pages):
    client.force_login(coordinator)
    page = Page.objects.get(kind="about")
    services.page_save(
        actor=coordinator,
        page=page,
        based_on_version=page.version,
        data={
            "title": page.title,
            "lead": page.lead,
            "body": "先に保存された本文",
            "publish_from": page.publish_from,
        },
    )

    response = client.post(
        reverse("residents:page_edit", args=["about"]),
        {
            "title": page.title,
            "lead": "",
            "body": "あとから書いた本文",
            "publish_from": "",
            "version": page.version,
        },
    )

    html = response.content.decode()
    assert "先に保存された本文" in html and "あとから書いた本文" in html
    page.refresh_from_db()
    assert page.body == "先に保存された本文"


def test_secretariat_sets_a_seminars_theme_and_lecturer(coordinator, seminar, client):
    client.force_login(coordinator)
    url = reverse("residents:seminar_detail", args=[seminar.pk])

    refused = client.post(
        url,
        {
            "seminar-theme": "親の休み方",
            "seminar-lecturer": "精神保健福祉士 山田",
            "seminar-capacity": "0",
            "seminar-online_url": "",
        },
    )
    saved = client.post(
        url,
        {
            "seminar-theme": "親の休み方",
            "seminar-lecturer": "精神保健福祉士",
            "seminar-capacity": "20",
            "seminar-online_url": "https://zoom.example.jp/j/9",
            "seminar-is_published": "on",
        },
    )

    assert refused.status_code == 400 and 'value="親の休み方"' in refused.content.decode()
    assert saved.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.theme, seminar.lecturer, seminar.capacity) == ("親の休み方", "精神保健福祉士", 20)
