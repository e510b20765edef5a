"""Irreversible actions confirm first with what will happen: publishing an edition, cancelling a
meeting, cancelling a training session. Looking at the confirmation page changes nothing; only
its confirmed POST acts."""

import pytest
from django.urls import reverse

from portal.guidebook.models import Edition
from portal.meetings import services as meetings
from portal.training import services as training
from portal.training.models import Course

from ..meetings.conftest import make_event
from ..training.conftest import make_session

pytestmark = pytest.mark.django_db


def _check(client, url, *, says, done):
    edition_page = client.get(url)
    assert edition_page.status_code == 200
    html = edition_page.content.decode()
    for text in says:
        assert text in html, text
    assert 'name="confirmed"' in html
    assert not done()
    assert client.post(url).status_code == 200 and not done()  # an unconfirmed POST only asks
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert done()


def test_publishing_an_edition_confirms_first(
    client, coordinator, edition, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    detail = client.get(reverse("guidebook:edition_detail", args=[edition.pk])).content.decode()
    assert f'href="{reverse("guidebook:publish", args=[edition.pk])}"' in detail
    with django_capture_on_commit_callbacks(execute=True):
        _check(
            client,
            reverse("guidebook:publish", args=[edition.pk]),
            says=["この版には2章があります。", "変更できなくなります", "取り消せません"],
            done=lambda: Edition.objects.get(pk=edition.pk).is_published,
        )


def test_cancelling_a_meeting_confirms_first_saying_who_is_told(
    client, coordinator, admin_a, admin_b, member_a
):
    event = make_event(coordinator, capacity=1, per_organization=2)
    meetings.register(actor=admin_a, event=event)
    meetings.register(actor=member_a, event=event)
    client.force_login(coordinator)
    _check(
        client,
        reverse("meetings:event_cancel", args=[event.pk]),
        says=["参加確定1人", "キャンセル待ち1人", "取り消せません"],
        done=lambda: type(event).objects.get(pk=event.pk).cancelled_at is not None,
    )


def test_cancelling_a_session_confirms_first_saying_who_is_told(
    client, coordinator, org_a, member_a, admin_a
):
    session = make_session(
        coordinator, Course.objects.get(fiscal_year=2025, code="supporters-intro"), capacity=1
    )
    training.register(actor=member_a, session=session)
    training.register(actor=admin_a, session=session)
    client.force_login(coordinator)
    _check(
        client,
        reverse("training:session_cancel", args=[session.pk]),
        says=["参加確定1人", "キャンセル待ち1人", "取り消せません"],
        done=lambda: type(session).objects.get(pk=session.pk).cancelled_at is not None,
    )
