import datetime as dt
import json
import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.core.models import Notification
from portal.directory import reference, services
from portal.directory.models import PartnerEntry, SupportInstitution
from portal.meetings.models import Event, ExhibitorApplication

from ..core.test_pdfs import assert_accessible, assert_table_headers
from ..core.test_pdfs import weasyprint_errors as weasyprint_errors  # noqa: F401 (a fixture, used by name)
from ..factories import PartnerFactory

pytestmark = pytest.mark.django_db

ENTRY = {
    "description": "フリースペースを運営しています。",
    "support_types": ["freespace"],
    "address": "甲市1-1",
}


def _propose(partner_member, partner, org_a, **overrides):
    """The partner's page sends the version it showed (none before the first entry)."""
    existing = PartnerEntry.objects.filter(organization=partner).first()
    return services.entry_propose(
        actor=partner_member,
        organization=partner,
        data={**ENTRY, "areas": [org_a], **overrides},
        based_on_version=existing.version if existing else None,
    )


def _approve(coordinator, entry):
    return services.entry_approve(actor=coordinator, entry=entry, reviewed_version=entry.version)


def test_a_change_is_public_only_after_review(coordinator, partner, partner_member, org_a, client):
    entry = _propose(partner_member, partner, org_a)
    assert "テスト支援ネット" not in client.get(reverse("directory:partner_list")).content.decode()
    _approve(coordinator, entry)
    html = client.get(reverse("directory:partner_list")).content.decode()
    assert "テスト支援ネット" in html and "フリースペースを運営しています。" in html
    # a later change waits again; the published text stays until it is approved
    entry = _propose(partner_member, partner, org_a, description="新しい紹介文")
    html = client.get(reverse("directory:partner_list")).content.decode()
    assert "フリースペースを運営しています。" in html and "新しい紹介文" not in html
    services.entry_return(actor=coordinator, entry=entry, comment="所在地を確認してください")
    assert Notification.objects.filter(user=partner_member, body="所在地を確認してください").exists()
    assert PartnerEntry.objects.get().review == "returned"


def test_only_the_organisation_proposes_its_entry(partner, member_a, org_a):
    with pytest.raises(PermissionDenied):
        _propose(member_a, partner, org_a)


def test_stale_proposal_is_refused(partner, partner_member, org_a):
    entry = _propose(partner_member, partner, org_a)
    _propose(partner_member, partner, org_a)
    with pytest.raises(services.StaleEdit):
        services.entry_propose(
            actor=partner_member,
            organization=partner,
            data={**ENTRY, "areas": [org_a]},
            based_on_version=entry.version,
        )


def test_a_proposal_without_a_version_does_not_overwrite_an_entry(partner, partner_member, org_a):
    _propose(partner_member, partner, org_a)
    with pytest.raises(services.StaleEdit):
        services.entry_propose(
            actor=partner_member,
            organization=partner,
            data={**ENTRY, "areas": [org_a], "description": "上書き"},
            based_on_version=None,
        )
    assert PartnerEntry.objects.get().proposal["description"] == ENTRY["description"]


def test_approval_publishes_only_the_reviewed_version(coordinator, partner, partner_member, org_a, client):
    reviewed = _propose(partner_member, partner, org_a)
    client.force_login(coordinator)
    url = reverse("directory:partner_review", args=[reviewed.pk])
    assert client.get(url).status_code == 200
    # the partner changes the proposal while the coordinator reads the page
    _propose(partner_member, partner, org_a, description="差し替えた紹介文")
    response = client.post(
        url,
        {
            "action": "approve",
            "version": reviewed.version,
            "reviewed": json.dumps({**ENTRY, "areas": [org_a.pk]}, ensure_ascii=False),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "提案が変更されました" in html or "変更したため" in html
    assert ENTRY["description"] in html and "差し替えた紹介文" in html  # both versions shown
    entry = PartnerEntry.objects.get()
    assert not entry.is_published and entry.review == "pending"
    # approving what the page now shows publishes it
    response = client.post(url, {"action": "approve", "version": entry.version})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_published and entry.description == "差し替えた紹介文"


def test_approval_without_a_version_is_refused(coordinator, partner, partner_member, org_a, client):
    entry = _propose(partner_member, partner, org_a)
    with pytest.raises(ValidationError):
        services.entry_approve(actor=coordinator, entry=entry, reviewed_version=None)
    client.force_login(coordinator)
    response = client.post(
        reverse("directory:partner_review", args=[entry.pk]), {"action": "approve"}, follow=True
    )
    assert "確認した版" in response.content.decode()
    assert not PartnerEntry.objects.get().is_published


def test_filters_by_type_and_area(coordinator, org_a, org_b, partner, partner_member, client):
    _approve(coordinator, _propose(partner_member, partner, org_a))
    other = PartnerFactory(name="訪問の会", support_types=["visit"])
    other.locations.add(org_b)
    services.entry_publish_initial(organization=other, description="訪問します")
    url = reverse("directory:partner_list")
    html = client.get(url, {"type": "visit"}).content.decode()
    assert "訪問の会" in html and "テスト支援ネット" not in html
    html = client.get(url, {"area": org_a.code}).content.decode()
    assert "テスト支援ネット" in html and "訪問の会" not in html


def test_partner_pdf_is_tagged_and_csv_lists_entries(
    coordinator,
    partner,
    partner_member,
    org_a,
    client,
    weasyprint_errors,  # noqa: F811 (the fixture)
):
    _approve(coordinator, _propose(partner_member, partner, org_a))
    pdf = client.get(reverse("directory:partner_pdf")).content
    if shutil.which("pdfinfo"):
        facts = assert_accessible(
            pdf, title="東京都若者社会参加応援事業 連携団体一覧", errors=weasyprint_errors
        )
        assert_table_headers(facts, scope="col")
    csv = b"".join(client.get(reverse("directory:partner_csv")).streaming_content).decode("utf-8-sig")
    assert "テスト支援ネット" in csv and "フリースペース" in csv


def test_partner_edits_its_entry_through_the_page(partner, partner_member, org_a, client):
    client.force_login(partner_member)
    page = client.get(reverse("directory:partner_entry"))
    assert page.status_code == 200
    bad = client.post(reverse("directory:partner_entry"), {"description": "紹介", "website": "not a url"})
    assert bad.status_code == 400 and "紹介" in bad.content.decode()
    ok = client.post(
        reverse("directory:partner_entry"),
        {"description": "紹介", "support_types": ["visit"], "areas": [org_a.pk]},
    )
    assert ok.status_code == 302
    assert PartnerEntry.objects.get().review == "pending"


def test_reference_institutions_load_idempotently(client):
    created, updated = reference.load()
    assert created == 27 and updated == 0
    assert reference.load() == (0, 27)
    categories = set(SupportInstitution.objects.values_list("category", flat=True))
    assert categories == {"mental_health", "schooling", "employment", "peer_family", "youth", "other"}
    html = client.get(reverse("directory:institution_list"), {"category": "employment"}).content.decode()
    assert "あだち若者サポートステーション" in html and "東京しごとセンター" in html
    assert "若ナビα" not in html


def test_institution_stale_edit_keeps_input(coordinator, client):
    inst = SupportInstitution.objects.create(category="youth", name="若者相談")
    services.institution_save(
        actor=coordinator, institution=inst, data={"name": "若者相談（新）"}, based_on_version=1
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("directory:institution_edit", args=[inst.pk]),
        {"category": "youth", "name": "私の名前", "order": 1, "is_active": "on", "version": 1},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "私の名前" in html and "若者相談（新）" in html


def test_public_calendar_holds_fairs_with_exhibitors_and_parses_as_ics(coordinator, partner, client):
    start = timezone.now() + dt.timedelta(days=30)
    fair = Event.objects.create(
        kind="fair",
        title="合同相談会（東部）",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        registration_deadline=start - dt.timedelta(days=3),
        audience=["partner"],
        created_by=coordinator,
        venue="区民ホール",
    )
    ExhibitorApplication.objects.create(
        event=fair, organization=partner, offer="相談", status="approved", applied_by=coordinator
    )
    Event.objects.create(
        kind="supporters",
        title="支援者交流会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        registration_deadline=start,
        audience=["municipality"],
        created_by=coordinator,
    )
    html = client.get(reverse("directory:event_calendar")).content.decode()
    assert "合同相談会（東部）" in html and "テスト支援ネット" in html and "支援者交流会" not in html
    calendar = Calendar.from_ical(client.get(reverse("directory:event_calendar_ics")).content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["合同相談会（東部）"]


def test_institution_form_labels_every_field_in_japanese(coordinator, client):
    client.force_login(coordinator)

    html = client.get(reverse("directory:institution_create")).content.decode()

    assert "表示順" in html
    assert ">Order<" not in html and "Order" not in html
