import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.news import services
from portal.news.models import Post

from .conftest import event_data, published

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_atom_feed_is_valid_atom_with_the_published_posts(coordinator, org_a, member_a, client):
    post = published(coordinator, member_a, org_a, body="## 見出し\n\n<script>alert(1)</script>本文")
    feed = _atom(client, reverse("news:feed"))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{ATOM}title").text == post.title
    assert entry.find(f"{ATOM}link").get("href").endswith(reverse("news:detail", args=[post.pk]))
    assert entry.find(f"{ATOM}id") is not None and entry.find(f"{ATOM}updated") is not None
    assert "<script>" not in (entry.find(f"{ATOM}summary").text or "")


def test_atom_feed_parses_cleanly_with_a_feed_parser(coordinator, org_a, member_a, client):
    import feedparser

    post = published(coordinator, member_a, org_a)
    parsed = feedparser.parse(client.get(reverse("news:feed")).content)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [post.title]
    assert parsed.entries[0].link.endswith(reverse("news:detail", args=[post.pk]))


def test_category_feed_holds_only_its_category(coordinator, secretariat, org_a, member_a, client):
    published(coordinator, member_a, org_a, title="区市町村の記事")
    notice = services.post_create(
        actor=coordinator,
        organization=secretariat,
        data={**event_data(), "category": "notice", "title": "停電"},
    )
    services.post_submit(actor=coordinator, post=notice)
    feed = _atom(client, reverse("news:category_feed", args=["notice"]))
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["停電"]
    assert client.get(reverse("news:category_feed", args=["nonsense"])).status_code == 404


def test_events_ics_parses_and_holds_upcoming_public_events(coordinator, org_a, member_a, client):
    post = services.post_create(actor=member_a, organization=org_a, data=event_data(title="家族教室"))
    services.post_approve(actor=coordinator, post=services.post_submit(actor=member_a, post=post))
    services.post_create(actor=member_a, organization=org_a, data=event_data(title="下書きの催し"))
    response = client.get(reverse("news:events_ics"))
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["家族教室"]
    assert events[0]["dtstart"].dt == post.event_starts_at.replace(microsecond=0)


def test_bad_input_keeps_what_was_typed_with_a_japanese_message(org_a, member_a, client):
    client.force_login(member_a)
    start = timezone.localtime() + dt.timedelta(days=5)
    response = client.post(
        reverse("news:create"),
        {
            "category": "municipal",
            "title": "講演会のお知らせ",
            "body": "講演会を開きます。",
            "event_starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "event_ends_at": (start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "終了は開始より後" in html or "後にしてください" in html
    assert "講演会のお知らせ" in html and "講演会を開きます。" in html
    assert Post.objects.count() == 0


def test_personal_data_is_shown_for_confirmation_and_the_text_kept(org_a, member_a, client):
    client.force_login(member_a)
    data = {"category": "municipal", "title": "相談会", "body": "問合せ 03-1234-5678"}
    response = client.post(reverse("news:create"), data)
    html = response.content.decode()
    assert response.status_code == 400 and 'name="confirm"' in html and "03-1234-5678" in html
    key = response.context["findings"][0][2]
    response = client.post(reverse("news:create"), {**data, "confirm": key})
    assert response.status_code == 302
    assert Post.objects.get().confirmed_findings == [key]


def test_stale_edit_shows_both_versions(org_a, member_a, client):
    post = services.post_create(
        actor=member_a,
        organization=org_a,
        data={
            **event_data(),
            "title": "最初",
            "event_starts_at": None,
            "event_ends_at": None,
            "event_place": "",
        },
    )
    data = {k: v for k, v in {"category": "municipal", "title": "他の人の題", "body": "本文"}.items()}
    services.post_update(actor=member_a, post=post, data=data, based_on_version=1)
    client.force_login(member_a)
    response = client.post(
        reverse("news:edit", args=[post.pk]),
        {"category": "municipal", "title": "私の題", "body": "本文", "version": 1},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "私の題" in html and "他の人の題" in html
    assert Post.objects.get().title == "他の人の題"


def test_submit_has_a_confirmation_page(org_a, member_a, client):
    post = services.post_create(
        actor=member_a, organization=org_a, data={"category": "municipal", "title": "t", "body": "b"}
    )
    client.force_login(member_a)
    page = client.get(reverse("news:submit", args=[post.pk]))
    assert page.status_code == 200 and "事務局の確認に回ります" in page.content.decode()
    assert Post.objects.get().status == "draft"
    client.post(reverse("news:submit", args=[post.pk]))
    assert Post.objects.get().status == "submitted"


def test_post_page_renders_sanitised_markdown(coordinator, org_a, member_a, client):
    post = published(
        coordinator, member_a, org_a, body="**太字**\n\n<script>alert(1)</script>\n\n![x](http://evil/x.png)"
    )
    html = client.get(reverse("news:detail", args=[post.pk])).content.decode()
    assert "<strong>太字</strong>" in html
    assert "<script>alert(1)" not in html and "evil/x.png" not in html


def test_public_list_filters_by_category_municipality_and_month(
    coordinator, org_a, org_b, member_a, admin_b, client
):
    a = published(coordinator, member_a, org_a, title="甲市の記事")
    published(coordinator, admin_b, org_b, title="乙区の記事")
    html = client.get(reverse("news:list"), {"municipality": org_a.code}).content.decode()
    assert "甲市の記事" in html and "乙区の記事" not in html
    month = timezone.localtime(a.publish_from).strftime("%Y-%m")
    assert "甲市の記事" in client.get(reverse("news:list"), {"month": month}).content.decode()
    assert "甲市の記事" not in client.get(reverse("news:list"), {"month": "2001-01"}).content.decode()
    assert "甲市の記事" not in client.get(reverse("news:list"), {"category": "event"}).content.decode()
    bad = client.get(reverse("news:list"), {"month": "May"}).content.decode()
    assert "例：2026-05" in bad


def test_urgent_notice_shows_on_the_public_entrance(coordinator, secretariat, client):
    notice = services.post_create(
        actor=coordinator,
        organization=secretariat,
        data={"category": "notice", "title": "12:00～13:00 電話不通", "body": "停電のため"},
    )
    notice = services.post_submit(actor=coordinator, post=notice)
    services.post_flags(actor=coordinator, post=notice, pinned=False, urgent=True)
    html = client.get("/").content.decode()
    assert "電話不通" in html and "緊急" in html
    for name in (
        "news:list",
        "directory:partner_list",
        "directory:institution_list",
        "directory:event_calendar",
    ):
        assert f'href="{reverse(name)}"' in html
