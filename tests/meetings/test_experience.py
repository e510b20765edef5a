"""No dead ends on the meetings pages: an exhibitor sees their application and its state instead
of an empty form; the list separates upcoming meetings from ended ones, marked 終了."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.meetings import services
from portal.meetings.models import Event

from .conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(coordinator):
    return make_event(
        coordinator, kind="fair", title="合同相談会", audience=["partner"], capacity=40, per_organization=5
    )


def test_exhibitor_sees_their_application_and_its_state_not_an_empty_form(
    client, coordinator, fair, partner, partner_member
):
    client.force_login(partner_member)
    url = reverse("meetings:event_detail", args=[fair.pk])
    apply_url = reverse("meetings:exhibitor_apply", args=[fair.pk])
    assert apply_url in client.get(url).content.decode()  # not applied yet: the form
    application = services.exhibitor_apply(
        actor=partner_member,
        event=fair,
        organization=partner,
        staff_count=3,
        offer="居場所の紹介と個別相談",
        upload=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    page = client.get(url).content.decode()
    assert apply_url not in page
    assert "事務局が申込み内容を確認しています" in page and "居場所の紹介と個別相談" in page
    services.exhibitor_decide(actor=coordinator, application=application, approve=True)
    page = client.get(url).content.decode()
    assert apply_url not in page
    assert "承認" in page and "出展が決まりました" in page and "leaflet.pdf" in page


def test_event_list_separates_upcoming_and_past_marking_past_ended(client, coordinator, admin_a):
    soon = make_event(coordinator, title="これから開く交流会", days=10)
    later = make_event(coordinator, title="さらに先の交流会", days=40)
    done = make_event(coordinator, title="先月の交流会", days=5)
    Event.objects.filter(pk=done.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30, hours=-3),
    )
    client.force_login(admin_a)
    page = client.get(reverse("meetings:event_list")).content.decode()
    upcoming, past = page.split("終了した会</h2>")
    assert "これからの会" in upcoming
    assert upcoming.index(soon.title) < upcoming.index(later.title)  # soonest first
    assert done.title not in upcoming
    assert done.title in past and "終了</span>" in past
    assert soon.title not in past and later.title not in past
