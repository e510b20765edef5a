"""A case draft is its organisation's alone until it is submitted: the secretariat and experts
neither list nor open it, the guard's findings are never stored before they are resolved, the
organisation can delete its draft, and abandoned drafts are purged."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from portal.casereviews import services
from portal.casereviews.models import Case, CaseAttachment
from portal.core import purge
from portal.core.models import AuditEvent

from .conftest import CLEAN_CASE, png_upload

PHONE_HISTORY = "母から090-1234-5678で相談があった。"

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org_a, member_a):
    return services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[png_upload()])


def test_a_coordinator_gets_404_on_another_organisations_draft(client, draft, coordinator):
    client.force_login(coordinator)

    for name in ("casereviews:case_detail", "casereviews:case_edit", "casereviews:case_draft_delete"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404, name
    attachment = draft.attachments.get()
    url = reverse("casereviews:case_attachment", args=[draft.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_the_secretariats_list_and_export_leave_out_other_organisations_drafts(
    client, draft, coordinator, org_a, member_a
):
    submitted = services.case_submit(
        actor=member_a, case=services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE)
    )
    client.force_login(coordinator)

    drafts_page = client.get(reverse("casereviews:case_list"), {"status": "draft"}).content.decode()
    all_page = client.get(reverse("casereviews:case_list")).content.decode()
    export = client.get(reverse("casereviews:case_export"), {"format": "csv"})

    assert draft.reference not in drafts_page and draft.reference not in all_page
    assert submitted.reference in all_page
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert draft.reference.encode() not in body


def test_the_organisation_still_lists_and_opens_its_own_draft(client, draft, member_a):
    client.force_login(member_a)

    page = client.get(reverse("casereviews:case_list"), {"status": "draft"}).content.decode()

    assert draft.reference in page
    assert client.get(reverse("casereviews:case_edit", args=[draft.pk])).status_code == 200


def test_check_and_submit_stores_nothing_while_the_guard_has_open_findings(client, org_a, member_a):
    client.force_login(member_a)
    data = {**CLEAN_CASE, "history": PHONE_HISTORY, "action": "submit", "version": ""}

    response = client.post(reverse("casereviews:case_create"), data)

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert PHONE_HISTORY in response.content.decode()  # kept in the writer's form only
    assert "090-1234-5678" not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_check_and_submit_on_a_draft_keeps_the_stored_text_until_the_finding_is_resolved(
    client, draft, member_a
):
    client.force_login(member_a)
    url = reverse("casereviews:case_edit", args=[draft.pk])
    data = {**CLEAN_CASE, "history": PHONE_HISTORY, "action": "submit", "version": draft.version}

    page = client.post(url, data).content.decode()

    draft.refresh_from_db()
    assert draft.history == CLEAN_CASE["history"] and draft.status == Case.Status.DRAFT
    keys = [k for k in page.split('name="confirm" value="')[1:]]
    confirm = [k.split('"')[0] for k in keys]
    assert confirm, "the finding is offered for confirmation"

    client.post(url, {**data, "confirm": confirm})

    draft.refresh_from_db()
    assert draft.history == PHONE_HISTORY and draft.status == Case.Status.SUBMITTED


def test_the_organisation_deletes_its_draft_after_a_confirmation_page(client, draft, member_a):
    stored = draft.attachments.get().file.name
    client.force_login(member_a)
    url = reverse("casereviews:case_draft_delete", args=[draft.pk])

    page = client.get(url).content.decode()
    assert (
        "この操作は取り消せません。" in page
        and "下書きを削除する" in page
        and Case.objects.filter(pk=draft.pk).exists()
    )

    response = client.post(url, {"confirmed": "1"})

    assert response.status_code == 302
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not CaseAttachment.objects.exists()
    assert not default_storage.exists(stored)
    assert AuditEvent.objects.filter(action="case.draft_delete", object_id=str(draft.pk)).exists()


def test_a_submitted_case_and_another_organisations_draft_cannot_be_deleted(
    client, draft, member_a, admin_b, org_a
):
    submitted = services.case_submit(
        actor=member_a, case=services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE)
    )
    client.force_login(member_a)
    assert (
        client.post(
            reverse("casereviews:case_draft_delete", args=[submitted.pk]), {"confirmed": "1"}
        ).status_code
        == 404
    )
    client.force_login(admin_b)
    assert (
        client.post(reverse("casereviews:case_draft_delete", args=[draft.pk]), {"confirmed": "1"}).status_code
        == 404
    )
    assert Case.objects.filter(pk__in=[draft.pk, submitted.pk]).count() == 2


def test_abandoned_drafts_are_purged_after_the_retention_setting(draft, org_a, member_a, settings):
    settings.CASE_DRAFT_RETENTION_DAYS = 30
    submitted = services.case_submit(
        actor=member_a, case=services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE)
    )

    assert purge.purge_due(now=timezone.now() + dt.timedelta(days=29))["casereviews.draft"] == 0
    assert purge.purge_due(now=timezone.now() + dt.timedelta(days=31))["casereviews.draft"] == 1

    assert not Case.objects.filter(pk=draft.pk).exists()
    assert Case.objects.filter(pk=submitted.pk).exists()
    assert AuditEvent.objects.filter(action="case.draft_purge").exists()
