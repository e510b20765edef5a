import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Notification
from portal.news import selectors, services
from portal.news.models import Decision, Post

from .conftest import draft, event_data, post_data, published, submitted

pytestmark = pytest.mark.django_db


def test_municipal_post_goes_to_review_and_is_public_only_after_approval(coordinator, org_a, member_a):
    post = submitted(member_a, org_a)
    assert post.status == Post.Status.SUBMITTED
    assert list(selectors.public_list()) == []
    services.post_approve(actor=coordinator, post=post)
    assert [p.pk for p in selectors.public_list()] == [post.pk]
    assert list(Decision.objects.filter(post=post).values_list("action", flat=True)) == [
        "submitted",
        "approved",
    ]
    assert Notification.objects.filter(
        user=member_a, url=reverse("news:manage_detail", args=[post.pk])
    ).exists()


def test_secretariat_post_publishes_directly(coordinator, secretariat):
    post = services.post_create(
        actor=coordinator, organization=secretariat, data=post_data(category=Post.Category.NOTICE)
    )
    post = services.post_submit(actor=coordinator, post=post)
    assert post.status == Post.Status.PUBLISHED
    assert post.decisions.get().action == Decision.Action.PUBLISHED


def test_return_needs_a_comment_and_tells_the_author(coordinator, org_a, member_a):
    post = submitted(member_a, org_a)
    with pytest.raises(ValidationError):
        services.post_return(actor=coordinator, post=post, comment=" ")
    post = services.post_return(actor=coordinator, post=post, comment="日時を追記してください")
    assert post.status == Post.Status.RETURNED and post.is_editable
    note = Notification.objects.get(user=member_a)
    assert note.body == "日時を追記してください"
    assert post.decisions.last().comment == "日時を追記してください"


def test_only_coordinators_decide(org_a, member_a, admin_b):
    post = submitted(member_a, org_a)
    with pytest.raises(PermissionDenied):
        services.post_approve(actor=member_a, post=post)


def test_a_municipality_cannot_post_in_a_secretariat_category(org_a, member_a):
    with pytest.raises(ValidationError):
        draft(member_a, org_a, category=Post.Category.NOTICE)


def test_partner_writes_related_events(partner, partner_member, partner_post_data):
    post = services.post_create(actor=partner_member, organization=partner, data=partner_post_data)
    assert post.category == Post.Category.EVENT


def test_personal_data_is_held_back_until_confirmed(org_a, member_a):
    data = post_data(body="申込は 03-1234-5678 まで。担当 山田太郎")
    with pytest.raises(services.PersonalDataFound) as caught:
        services.post_create(actor=member_a, organization=org_a, data=data)
    findings = caught.value.findings
    assert "body" in findings
    keys = {services.finding_key(field, f) for field, items in findings.items() for f in items}
    post = services.post_create(actor=member_a, organization=org_a, data=data, confirmed=keys)
    assert set(post.confirmed_findings) == keys
    assert Post.objects.count() == 1


def test_stale_edit_is_refused(org_a, member_a):
    post = draft(member_a, org_a)
    services.post_update(actor=member_a, post=post, data=post_data(title="新しい題"), based_on_version=1)
    with pytest.raises(services.StaleEdit) as caught:
        services.post_update(actor=member_a, post=post, data=post_data(title="古い題"), based_on_version=1)
    assert caught.value.current.title == "新しい題"


def test_submitted_post_cannot_be_edited(org_a, member_a):
    post = submitted(member_a, org_a)
    with pytest.raises(services.InvalidTransition):
        services.post_update(actor=member_a, post=post, data=post_data(), based_on_version=post.version)


def test_expired_post_leaves_the_list_but_keeps_its_page(coordinator, org_a, member_a, client):
    post = published(coordinator, member_a, org_a)
    now = timezone.now()
    Post.objects.filter(pk=post.pk).update(
        publish_from=now - dt.timedelta(days=7), publish_until=now - dt.timedelta(minutes=1)
    )
    assert list(selectors.public_list()) == []
    response = client.get(reverse("news:detail", args=[post.pk]))
    assert response.status_code == 200
    assert "掲載を終了" in response.content.decode()


def test_publication_waits_for_publish_from(coordinator, org_a, member_a, client):
    later = timezone.now() + dt.timedelta(days=3)
    post = published(coordinator, member_a, org_a, publish_from=later)
    assert list(selectors.public_list()) == []
    assert client.get(reverse("news:detail", args=[post.pk])).status_code == 404


def test_upcoming_events_hold_only_future_public_events(coordinator, org_a, member_a):
    post = services.post_approve(
        actor=coordinator,
        post=services.post_submit(
            actor=member_a, post=services.post_create(actor=member_a, organization=org_a, data=event_data())
        ),
    )
    draft(member_a, org_a, **{k: v for k, v in event_data(title="下書き").items() if k != "category"})
    assert [p.pk for p in selectors.upcoming_events()] == [post.pk]
