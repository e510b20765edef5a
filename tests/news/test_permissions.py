"""Permission matrix of news and the directories (joined into tests/test_permission_matrix.py)."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from portal.directory import services as directory_services
from portal.directory.models import SupportInstitution
from portal.news import services
from portal.news.models import Post

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import draft, post_data, published, submitted


@dataclass
class NewsWorld:
    coordinator: object
    member_a: object
    admin_b: object
    partner_member: object
    other_partner_member: object
    draft: object
    submitted: object
    published: object
    with_attachment: object
    entry: object
    institution: object


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("flyer.pdf", b"%PDF-1.4\n%flyer\n", content_type="application/pdf")


@pytest.fixture
def news_world(coordinator, org_a, member_a, admin_b, partner, partner_member):
    from ..factories import MembershipFactory, PartnerFactory

    other_partner_member = MembershipFactory(
        organization=PartnerFactory(), user__email="npo2@example.jp"
    ).user
    attached = services.post_create(actor=member_a, organization=org_a, data=post_data(), upload=_pdf())
    entry = directory_services.entry_propose(
        actor=partner_member,
        organization=partner,
        data={"description": "居場所を運営しています。", "support_types": ["freespace"], "areas": [org_a]},
        based_on_version=None,
    )
    institution = SupportInstitution.objects.create(category="youth", name="若者相談センター")
    return NewsWorld(
        coordinator=coordinator,
        member_a=member_a,
        admin_b=admin_b,
        partner_member=partner_member,
        other_partner_member=other_partner_member,
        draft=draft(member_a, org_a),
        submitted=submitted(member_a, org_a, title="確認待ちの記事"),
        published=published(coordinator, member_a, org_a, title="公開済みの記事"),
        with_attachment=attached,
        entry=entry,
        institution=institution,
    )


def on(state):
    return lambda w: {"pk": getattr(w, state).pk}


PUBLIC = {"anonymous": 200, "not_applicable": "public page"}
OWNER_GET = {"right": ("member_a", 200), "other_org": ("admin_b", 404), "wrong_role": ("coordinator", 403)}
COORD_POST = {"right": ("coordinator", 302), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}
COORD_ONLY = {"right": ("coordinator", 200), "wrong_role": ("partner_member", 403)}

NEWS_MATRIX: dict[str, Rule] = {
    "news:list": Rule("GET", right=("member_a", 200), **PUBLIC),
    "news:detail": Rule("GET", kwargs=on("published"), right=("member_a", 200), **PUBLIC),
    "news:feed": Rule("GET", right=("member_a", 200), **PUBLIC),
    "news:category_feed": Rule(
        "GET", kwargs=lambda w: {"category": "municipal"}, right=("member_a", 200), **PUBLIC
    ),
    "news:events_ics": Rule("GET", right=("member_a", 200), **PUBLIC),
    "news:manage_list": Rule(
        "GET",
        right=("member_a", 200),
        not_applicable="the list shows only one's own organisation's posts (asserted by row below)",
    ),
    "news:create": Rule(
        "GET", right=("member_a", 200), not_applicable="always for one's own (active) organisation"
    ),
    "news:manage_detail": Rule(
        "GET",
        kwargs=on("draft"),
        right=("member_a", 200),
        other_org=("admin_b", 404),
        not_applicable="every member of the writing organisation and coordinators may read it",
    ),
    "news:edit": Rule("GET", kwargs=on("draft"), **OWNER_GET),
    "news:manage_attachment": Rule(
        "GET",
        kwargs=on("with_attachment"),
        right=("member_a", 200),
        other_org=("admin_b", 404),
        not_applicable="readers of the post may read its attachment",
    ),
    "news:submit": Rule("GET", kwargs=on("draft"), **OWNER_GET),
    "news:approve": Rule("POST", kwargs=on("submitted"), **COORD_POST),
    "news:return": Rule("POST", kwargs=on("submitted"), data=lambda w: {"comment": "日時を"}, **COORD_POST),
    "news:reject": Rule("POST", kwargs=on("submitted"), data=lambda w: {"comment": "対象外"}, **COORD_POST),
    "news:flags": Rule("POST", kwargs=on("published"), data=lambda w: {"pinned": "on"}, **COORD_POST),
    "news:attachment": Rule(
        "GET",
        kwargs=on("with_attachment"),
        right=("member_a", 404),
        anonymous=404,
        not_applicable="public only once published; a draft's attachment is not public",
    ),
    "directory:partner_list": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:partner_csv": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:partner_pdf": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:institution_list": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:event_calendar": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:event_calendar_ics": Rule("GET", right=("member_a", 200), **PUBLIC),
    "directory:partner_entry": Rule(
        "GET",
        right=("partner_member", 200),
        wrong_role=("member_a", 403),
        not_applicable="always one's own organisation's entry",
    ),
    "directory:review_list": Rule(
        "GET", **COORD_ONLY, not_applicable="coordinators only; no organisation's object"
    ),
    "directory:partner_review": Rule(
        "GET",
        kwargs=on("entry"),
        right=("coordinator", 200),
        wrong_role=("partner_member", 403),
        other_org=("other_partner_member", 404),
    ),
    "directory:institution_manage": Rule("GET", **COORD_ONLY, not_applicable="coordinators only"),
    "directory:institution_create": Rule("GET", **COORD_ONLY, not_applicable="coordinators only"),
    "directory:institution_edit": Rule(
        "GET", kwargs=on("institution"), **COORD_ONLY, not_applicable="coordinators only"
    ),
}

CASES = matrix_cases(NEWS_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_news_permission_matrix(client, news_world, name, case):
    check_rule(client, news_world, NEWS_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in NEWS_MATRIX.items() if r.method == "GET"])
def test_news_pages_get_never_changes_state(client, news_world, name):
    check_get_is_safe(client, news_world, NEWS_MATRIX[name], name)


def test_member_list_shows_only_own_organisation_posts(client, news_world):
    client.force_login(news_world.admin_b)
    html = client.get(reverse("news:manage_list")).content.decode()
    assert "確認待ちの記事" not in html and "公開済みの記事" not in html
    client.force_login(news_world.member_a)
    html = client.get(reverse("news:manage_list")).content.decode()
    assert "確認待ちの記事" in html and "公開済みの記事" in html


def test_coordinator_sees_the_review_queue(client, news_world):
    client.force_login(news_world.coordinator)
    html = client.get(reverse("news:manage_list")).content.decode()
    assert "確認待ちの記事" in html


def test_public_list_shows_only_published_posts(client, news_world):
    html = client.get(reverse("news:list")).content.decode()
    assert "公開済みの記事" in html
    assert "確認待ちの記事" not in html
    assert Post.objects.filter(status="draft").count() == 2
    assert f'href="{reverse("news:detail", args=[news_world.draft.pk])}"' not in html
    assert client.get(reverse("news:detail", args=[news_world.submitted.pk])).status_code == 404


def test_review_list_shows_the_pending_entry_to_coordinators_only(client, news_world):
    client.force_login(news_world.coordinator)
    assert "テスト支援ネット" in client.get(reverse("directory:review_list")).content.decode()
    client.force_login(news_world.other_partner_member)
    assert client.get(reverse("directory:review_list")).status_code == 403
