"""Downloads: audience rules, streaming, ranges, validators, filenames, counts."""

import pytest
from django.urls import reverse

from portal.guidebook import services
from portal.guidebook.models import Download
from portal.meetings import services as meetings

from ..meetings.conftest import make_event
from ..queries import assert_flat
from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _material(coordinator, audience, **extra):
    return services.material_create(
        actor=coordinator,
        upload=pdf_upload("ひきこもり等の若者支援プログラム.pdf", size=300_000),
        title="ひきこもり等の若者支援プログラム",
        category="booklet",
        fiscal_year=2025,
        audience=audience,
        **extra,
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_public_material_needs_no_login_and_streams(client, coordinator):
    material = _material(coordinator, "public")
    response = client.get(reverse("guidebook:download", args=[material.pk]))
    assert response.status_code == 200
    assert response.streaming
    body = _body(response)
    assert body.startswith(b"%PDF") and len(body) == material.versions.get().size
    assert response["Content-Length"] == str(len(body))
    assert response["Accept-Ranges"] == "bytes"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E3%81%B2%E3%81%8D" in disposition  # ひき…
    assert 'filename="' in disposition and "/" not in disposition.split("filename=")[1].split(";")[0]


def test_range_requests(client, coordinator):
    material = _material(coordinator, "public")
    version = material.versions.get()
    url = reverse("guidebook:download", args=[material.pk])
    whole = _body(client.get(url))
    part = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{version.size}"
    assert _body(part) == whole[1000:2000]
    tail = client.get(url, HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206 and _body(tail) == whole[-100:]
    open_end = client.get(url, HTTP_RANGE=f"bytes={version.size - 10}-")
    assert _body(open_end) == whole[-10:]
    unsatisfiable = client.get(url, HTTP_RANGE=f"bytes={version.size + 5}-")
    assert unsatisfiable.status_code == 416
    assert unsatisfiable["Content-Range"] == f"bytes */{version.size}"
    garbage = client.get(url, HTTP_RANGE="bytes=abc")
    assert garbage.status_code == 200


def test_etag_and_last_modified(client, coordinator):
    material = _material(coordinator, "public")
    url = reverse("guidebook:download", args=[material.pk])
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # If-Range with a stale validator sends the whole (new) file, not a piece of it
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"').status_code == 200
    assert client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag).status_code == 206
    services.version_add(actor=coordinator, material=material, upload=pdf_upload(size=10), changelog="改訂")
    assert client.get(url)["ETag"] != etag


def test_head_has_headers_and_no_body(client, coordinator):
    material = _material(coordinator, "public")
    response = client.head(reverse("guidebook:download", args=[material.pk]))
    assert response.status_code == 200 and response["Content-Length"] != "0"
    assert Download.objects.count() == 0


@pytest.mark.parametrize(
    ("audience", "who", "expected"),
    [
        ("members", "anonymous", "login"),
        ("members", "member_a", 200),
        ("members", "partner_member", 200),
        ("municipalities", "member_a", 200),
        ("municipalities", "partner_member", 404),
        ("partners", "partner_member", 200),
        ("partners", "member_a", 404),
        ("partners", "coordinator", 200),
    ],
)
def test_audience_rules(client, coordinator, member_a, partner_member, audience, who, expected):
    material = _material(coordinator, audience)
    old = material.versions.get()
    services.version_add(actor=coordinator, material=material, upload=pdf_upload(size=10), changelog="改訂")
    people = {"member_a": member_a, "partner_member": partner_member, "coordinator": coordinator}
    if who != "anonymous":
        client.force_login(people[who])
    for url in (
        reverse("guidebook:download", args=[material.pk]),
        reverse("guidebook:version_download", args=[old.pk]),  # older versions: same audience
        reverse("guidebook:material_detail", args=[material.pk]),
    ):
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response.url
        else:
            assert response.status_code == expected, (url, response.status_code)


def test_meeting_attendees_only(client, coordinator, member_a, admin_a):
    event = make_event(
        coordinator, days=5, deadline_days=2, title="支援者交流会", capacity=10, per_organization=5
    )
    meetings.register(actor=member_a, event=event)
    material = _material(coordinator, "event", event=event)
    url = reverse("guidebook:download", args=[material.pk])
    client.force_login(member_a)
    assert client.get(url).status_code == 200
    assert material.title in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    client.force_login(admin_a)  # same organisation, not registered
    assert (
        material.title not in client.get(reverse("meetings:event_detail", args=[event.pk])).content.decode()
    )
    assert client.get(url).status_code == 404
    listing = client.get(reverse("guidebook:material_list")).content.decode()
    assert material.title not in listing


def test_downloads_are_counted_once_per_file_by_organisation_kind(
    client, coordinator, member_a, partner_member
):
    material = _material(coordinator, "members")
    url = reverse("guidebook:download", args=[material.pk])
    client.force_login(member_a)
    _body(client.get(url))
    _body(client.get(url, HTTP_RANGE="bytes=0-99"))  # the start of a download counts
    _body(client.get(url, HTTP_RANGE="bytes=100-199"))  # resuming it does not
    client.force_login(partner_member)
    _body(client.get(url))
    assert Download.objects.filter(organization_kind="municipality").count() == 2
    assert Download.objects.filter(organization_kind="partner").count() == 1
    client.force_login(coordinator)
    page = client.get(reverse("guidebook:download_stats")).content.decode()
    assert material.title in page


def test_withdrawn_material_is_gone_for_members(client, coordinator, member_a):
    material = _material(coordinator, "members")
    client.force_login(coordinator)
    client.post(reverse("guidebook:material_withdraw", args=[material.pk]))
    client.force_login(member_a)
    assert client.get(reverse("guidebook:download", args=[material.pk])).status_code == 404
    assert material.title not in client.get(reverse("guidebook:material_list")).content.decode()
    services.material_withdraw(actor=coordinator, material=material, withdraw=False)
    assert client.get(reverse("guidebook:download", args=[material.pk])).status_code == 200


def test_bad_upload_keeps_the_form(client, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = client.post(
        reverse("guidebook:material_create"),
        {
            "title": "入力した題名",
            "description": "入力した説明",
            "category": "leaflet",
            "fiscal_year": 2025,
            "audience": "public",
            "file": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "入力した題名" in html and "入力した説明" in html


def test_material_list_query_count(client, coordinator, member_a):
    client.force_login(member_a)
    assert_flat(
        client,
        reverse("guidebook:material_list"),
        lambda n: [_material(coordinator, "members") for _ in range(n)],
    )
    client.force_login(coordinator)
    assert_flat(
        client,
        reverse("guidebook:download_stats"),
        lambda n: [_material(coordinator, "public") for _ in range(n)],
    )


def test_reader_and_search(client, coordinator, edition, figure, member_a):
    from portal.guidebook.models import Section

    section = Section.objects.get(title="定義")
    services.section_save(
        actor=coordinator,
        section=section,
        based_on_version=section.version,
        title="定義",
        body=f"ひきこもりの定義について。\n\n![支援の流れ](figure:{figure.pk})",
        order=1,
    )
    # drafts are the secretariat's
    assert client.get(reverse("guidebook:chapter_read", args=[edition.pk, 1])).status_code == 404
    edition.status = "published"
    edition.save()
    page = client.get(reverse("guidebook:chapter_read", args=[edition.pk, 1])).content.decode()
    assert "ひきこもりの定義について" in page
    assert f'src="{reverse("guidebook:figure", args=[figure.pk])}"' in page
    assert client.get(reverse("guidebook:figure", args=[figure.pk])).status_code == 200
    results = client.get(reverse("guidebook:search", args=[edition.pk]) + "?q=家族").content.decode()
    assert "家族への支援" in results and "<mark>家族</mark>" in results


def test_section_editor_conflict_keeps_both_texts(client, coordinator, edition):
    from portal.guidebook.models import Section

    section = Section.objects.get(title="定義")
    client.force_login(coordinator)
    url = reverse("guidebook:section_edit", args=[section.pk])
    stale = section.version
    services.section_save(
        actor=coordinator, section=section, based_on_version=stale, title="定義", body="同僚の文章", order=1
    )
    response = client.post(url, {"order": 1, "title": "定義", "body": "私の文章", "version": stale})
    assert response.status_code == 400
    html = response.content.decode()
    assert "私の文章" in html and "同僚の文章" in html
    assert Section.objects.get(pk=section.pk).body == "同僚の文章"


def test_refused_chapter_and_figure_keep_what_was_typed(client, coordinator, edition):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    clash = client.post(
        reverse("guidebook:chapter_add", args=[edition.pk]), {"number": 1, "title": "入力した章題"}
    )
    assert clash.status_code == 400
    assert "入力した章題" in clash.content.decode()
    bad_image = client.post(
        reverse("guidebook:figure_add", args=[edition.pk]),
        {
            "image": SimpleUploadedFile("x.png", b"not an image"),
            "alt": "入力した代替テキスト",
            "caption": "図9",
        },
    )
    assert bad_image.status_code == 400
    assert "入力した代替テキスト" in bad_image.content.decode()
    assert edition.figures.count() == 0


def test_guidebook_pages_query_counts(client, coordinator, edition, member_a):
    from portal.guidebook.models import Chapter

    chapter = Chapter.objects.get(edition=edition, number=1)
    client.force_login(coordinator)
    added = iter(range(1000))

    def sections(n):
        for _ in range(n):
            services.section_add(
                actor=coordinator, chapter=chapter, title=f"節{next(added)}", body="家族の支援"
            )

    assert_flat(client, reverse("guidebook:edition_detail", args=[edition.pk]), sections)
    assert_flat(client, reverse("guidebook:chapter_read", args=[edition.pk, 1]), sections)
    assert_flat(client, reverse("guidebook:search", args=[edition.pk]) + "?q=家族", sections)
    assert_flat(
        client,
        reverse("guidebook:edition_list"),
        lambda n: [
            services.edition_create(actor=coordinator, fiscal_year=2030 + next(added), title="版")
            for _ in range(n)
        ],
    )
    material = _material(coordinator, "members")
    assert_flat(
        client,
        reverse("guidebook:material_detail", args=[material.pk]),
        lambda n: [
            services.version_add(actor=coordinator, material=material, upload=pdf_upload(), changelog="改訂")
            for _ in range(n)
        ],
    )


def test_meeting_page_library_query_count(client, coordinator, member_a):
    event = make_event(
        coordinator, days=5, deadline_days=2, title="支援者交流会", capacity=10, per_organization=5
    )
    meetings.register(actor=member_a, event=event)
    client.force_login(member_a)
    assert_flat(
        client,
        reverse("meetings:event_detail", args=[event.pk]),
        lambda n: [_material(coordinator, "event", event=event) for _ in range(n)],
    )
