"""A file the guard cannot read (an image, a scanned PDF) is said so on the check screens of case
submission and case presentation, and passes only with the writer's explicit confirmation, recorded
in the audit. Cases accept Word files, read and refused like any other upload."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from portal.core import attachments_text
from portal.core.models import AuditEvent

from ..casereviews.conftest import CLEAN_CASE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
UNREADABLE_JA = "この添付ファイルは内容を確認できませんでした"


def _png(name="ジェノグラム.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _docx(body: str, name="経過.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
        )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=attachments_text.DOCX)


@pytest.mark.django_db
def test_case_with_an_image_is_submitted_only_after_the_writer_confirms_it(org_a, member_a):
    from portal.casereviews import services as cases
    from portal.casereviews.models import Case

    case = cases.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[_png()])
    attachment = case.attachments.get()

    with pytest.raises(cases.PersonalDataFound) as found:
        cases.case_submit(actor=member_a, case=case)

    field = attachments_text.unreadable_field(attachment.pk)
    assert list(found.value.findings) == [field]
    (finding,) = found.value.findings[field]
    assert finding.kind == attachments_text.UNREADABLE
    assert not AuditEvent.objects.filter(action="case.attachment_unreadable_confirmed").exists()

    cases.case_submit(actor=member_a, case=case, confirmed={cases.finding_key(field, finding)})

    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED
    event = AuditEvent.objects.get(action="case.attachment_unreadable_confirmed")
    assert event.actor == member_a and event.details == {"attachment": attachment.pk}


@pytest.mark.django_db
def test_case_check_page_says_the_attachment_could_not_be_checked(client, org_a, member_a):
    from portal.casereviews import services as cases

    case = cases.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[_png()])
    client.force_login(member_a)

    page = client.post(
        reverse("casereviews:case_edit", args=[case.pk]),
        {**CLEAN_CASE, "action": "submit", "version": case.version},
    ).content.decode()

    assert UNREADABLE_JA in page
    assert "「ジェノグラム.png」を開いて確認しました。個人を特定できる情報は含まれていません" in page
    assert '<mark title="内容を確認できない添付ファイル"></mark>' not in page


@pytest.mark.django_db
def test_case_accepts_a_word_file_and_reads_it(org_a, member_a):
    from portal.casereviews import services as cases

    upload = _docx("<w:p><w:r><w:t>母の携帯は090-1234-5678。</w:t></w:r></w:p>")
    case = cases.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[upload])

    with pytest.raises(cases.PersonalDataFound) as found:
        cases.case_submit(actor=member_a, case=case)

    assert [f.kind for items in found.value.findings.values() for f in items] == ["phone"]


@pytest.mark.django_db
def test_case_refuses_a_word_file_with_tracked_changes(org_a, member_a):
    from portal.casereviews import services as cases
    from portal.casereviews.models import Case

    upload = _docx(
        '<w:p><w:del w:id="1" w:author="x"><w:r><w:delText>山田太郎</w:delText></w:r></w:del></w:p>'
    )

    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        cases.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[upload])

    assert "変更履歴" in refused.value.messages[0]
    assert not Case.objects.exists()


def _event(coordinator, admin_a):
    from portal.meetings import services as meetings

    start = timezone.now() + dt.timedelta(days=20)
    event = meetings.event_create(
        actor=coordinator,
        kind="supporters",
        title="支援者交流会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        venue="会議室",
        online_url="",
        audience=["municipality"],
        capacity=30,
        per_organization=5,
        registration_deadline=start - dt.timedelta(days=3),
        description="",
    )
    meetings.register(actor=admin_a, event=event)
    return event


@pytest.mark.django_db
def test_presentation_with_an_image_needs_the_proposers_confirmation(coordinator, admin_a):
    from portal.meetings import services as meetings
    from portal.meetings.models import PresentationProposal

    event = _event(coordinator, admin_a)
    proposal = {"actor": admin_a, "event": event, "title": "訪問支援の事例", "summary": "訪問支援の工夫"}

    with pytest.raises(meetings.PersonalDataFound) as found:
        meetings.propose(**proposal, upload=_png())

    assert [f.kind for f in found.value.findings] == [attachments_text.UNREADABLE]
    assert not PresentationProposal.objects.exists()

    saved = meetings.propose(**proposal, upload=_png(), file_checked=True)

    event_row = AuditEvent.objects.get(action="event.proposal_file_unreadable_confirmed")
    assert event_row.actor == admin_a and event_row.object_id == str(saved.pk)


@pytest.mark.django_db
def test_presentation_screen_says_the_file_could_not_be_checked(client, coordinator, admin_a):
    event = _event(coordinator, admin_a)
    client.force_login(admin_a)

    response = client.post(
        f"/events/{event.pk}/propose/",
        {"title": "訪問の事例", "summary": "訪問支援の工夫", "file": _png("図.png")},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert f"「図.png」：{UNREADABLE_JA}" in body
    assert "添付ファイルを開いて確認しました" in body
