"""Permission matrix of the guidebook and materials URLs (joined into tests/test_permission_matrix.py)."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.guidebook import services
from portal.guidebook.models import Build, Section

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import pdf_upload, png_bytes


@dataclass
class GuideWorld:
    coordinator: object
    member_a: object
    partner_member: object
    draft: object
    published: object
    chapter: object
    section: object
    figure: object
    draft_figure: object
    build: object
    public: object
    members: object
    partners: object
    partners_version: object


@pytest.fixture
def guide_world(coordinator, member_a, partner_member, django_capture_on_commit_callbacks):
    published = services.edition_create(
        actor=coordinator, fiscal_year=2025, title="ひきこもり支援ガイドブック"
    )
    chapter = services.chapter_save(actor=coordinator, edition=published, number=1, title="経緯")
    services.section_add(actor=coordinator, chapter=chapter, title="国の取組", body="本文")
    figure = services.figure_add(
        actor=coordinator,
        edition=published,
        upload=SimpleUploadedFile("f.png", png_bytes(), "image/png"),
        alt="図",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(actor=coordinator, edition=published)
    draft = services.edition_create(actor=coordinator, fiscal_year=2026, title="ひきこもり支援ガイドブック")
    draft_chapter = services.chapter_save(actor=coordinator, edition=draft, number=1, title="経緯")
    section = services.section_add(actor=coordinator, chapter=draft_chapter, title="国の取組", body="本文")
    draft_figure = services.figure_add(
        actor=coordinator,
        edition=draft,
        upload=SimpleUploadedFile("f.png", png_bytes(), "image/png"),
        alt="図",
    )

    def material(audience):
        return services.material_create(
            actor=coordinator,
            upload=pdf_upload(),
            title=audience,
            category="leaflet",
            fiscal_year=2025,
            audience=audience,
        )

    partners = material("partners")
    return GuideWorld(
        coordinator=coordinator,
        member_a=member_a,
        partner_member=partner_member,
        draft=draft,
        published=published,
        chapter=draft_chapter,
        section=Section.objects.get(pk=section.pk),
        figure=figure,
        draft_figure=draft_figure,
        build=Build.objects.filter(edition=published).first(),
        public=material("public"),
        members=material("members"),
        partners=partners,
        partners_version=partners.versions.get(),
    )


def on(name):
    return lambda w: {"pk": getattr(w, name).pk}


COORD_GET = {
    "right": ("coordinator", 200),
    "wrong_role": ("member_a", 403),
    "not_applicable": "secretariat only",
}
COORD_POST = {
    "right": ("coordinator", 302),
    "wrong_role": ("member_a", 403),
    "not_applicable": "secretariat only",
}
PUBLIC = {"anonymous": 200, "not_applicable": "published editions are public"}
DRAFT = "a draft is the secretariat's: anyone else gets 404"

GUIDE_MATRIX: dict[str, Rule] = {
    "guidebook:edition_list": Rule("GET", right=("member_a", 200), **PUBLIC),
    "guidebook:edition_create": Rule("GET", **COORD_GET),
    "guidebook:edition_detail": Rule(
        "GET",
        kwargs=on("draft"),
        right=("coordinator", 200),
        other_org=("member_a", 404),
        anonymous=404,
        not_applicable=DRAFT,
    ),
    "guidebook:edition_edit": Rule("GET", kwargs=on("draft"), **COORD_GET),
    "guidebook:chapter_read": Rule(
        "GET", kwargs=lambda w: {"pk": w.published.pk, "number": 1}, right=("member_a", 200), **PUBLIC
    ),
    "guidebook:search": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.draft.pk},
        right=("coordinator", 200),
        other_org=("member_a", 404),
        anonymous=404,
        not_applicable=DRAFT,
    ),
    "guidebook:chapter_add": Rule(
        "POST", kwargs=on("draft"), data=lambda w: {"number": 2, "title": "定義"}, **COORD_POST
    ),
    "guidebook:figure_add": Rule(
        "POST",
        kwargs=on("draft"),
        data=lambda w: {"image": SimpleUploadedFile("f.png", png_bytes(), "image/png"), "alt": "図"},
        **COORD_POST,
    ),
    "guidebook:publish": Rule("POST", kwargs=on("draft"), data=lambda w: {"confirmed": "1"}, **COORD_POST),
    "guidebook:preview": Rule("POST", kwargs=on("draft"), **COORD_POST),
    "guidebook:edition_pdf": Rule("GET", kwargs=on("published"), right=("member_a", 200), **PUBLIC),
    "guidebook:section_add": Rule("POST", kwargs=on("chapter"), data=lambda w: {"title": "節"}, **COORD_POST),
    "guidebook:section_edit": Rule("GET", kwargs=on("section"), **COORD_GET),
    "guidebook:section_delete": Rule("POST", kwargs=on("section"), **COORD_POST),
    "guidebook:figure": Rule(
        "GET",
        kwargs=on("draft_figure"),
        right=("coordinator", 200),
        other_org=("member_a", 404),
        anonymous=404,
        not_applicable=DRAFT,
    ),
    "guidebook:build_detail": Rule("GET", kwargs=on("build"), **COORD_GET),
    "guidebook:build_status": Rule("GET", kwargs=on("build"), **COORD_GET),
    "guidebook:build_pdf": Rule("GET", kwargs=on("build"), **COORD_GET),
    "guidebook:material_list": Rule(
        "GET", right=("member_a", 200), anonymous=200, not_applicable="the list is filtered by audience"
    ),
    "guidebook:material_create": Rule("GET", **COORD_GET),
    "guidebook:download_stats": Rule("GET", **COORD_GET),
    "guidebook:material_detail": Rule(
        "GET",
        kwargs=on("partners"),
        right=("partner_member", 200),
        other_org=("member_a", 404),
        not_applicable="audience: partner organisations",
    ),
    "guidebook:material_edit": Rule("GET", kwargs=on("partners"), **COORD_GET),
    "guidebook:version_add": Rule(
        "POST",
        kwargs=on("partners"),
        right=("coordinator", 400),
        wrong_role=("member_a", 403),
        not_applicable="secretariat only (an empty upload is refused with 400)",
    ),
    "guidebook:material_withdraw": Rule("POST", kwargs=on("partners"), **COORD_POST),
    "guidebook:download": Rule(
        "GET",
        kwargs=on("partners"),
        right=("partner_member", 200),
        other_org=("member_a", 404),
        not_applicable="audience: partner organisations",
    ),
    "guidebook:version_download": Rule(
        "GET",
        kwargs=on("partners_version"),
        right=("partner_member", 200),
        other_org=("member_a", 404),
        not_applicable="audience: partner organisations",
    ),
}

CASES = matrix_cases(GUIDE_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_guidebook_permission_matrix(client, guide_world, name, case):
    check_rule(client, guide_world, GUIDE_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in GUIDE_MATRIX.items() if r.method == "GET"])
def test_guidebook_pages_get_never_changes_state(client, guide_world, name):
    check_get_is_safe(client, guide_world, GUIDE_MATRIX[name], name)


@pytest.mark.parametrize("name", ["public", "members", "partners"])
def test_every_download_url_by_audience(client, guide_world, member_a, partner_member, name):
    """Public: everyone; members: any member; partners: partner staff only (404 for others)."""
    from django.urls import reverse

    material = getattr(guide_world, name)
    urls = [
        reverse("guidebook:download", args=[material.pk]),
        reverse("guidebook:version_download", args=[material.versions.get().pk]),
    ]
    expect = {
        "public": {None: 200, "member_a": 200, "partner_member": 200},
        "members": {None: 302, "member_a": 200, "partner_member": 200},
        "partners": {None: 302, "member_a": 404, "partner_member": 200},
    }[name]
    for who, status in expect.items():
        client.logout()
        if who:
            client.force_login({"member_a": member_a, "partner_member": partner_member}[who])
        for url in urls:
            assert client.get(url).status_code == status, (name, who, url)
