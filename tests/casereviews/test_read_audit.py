"""Every read of a case, its attachments and its advice is audited; audit rows never carry text a
person typed (the reference stands for the case)."""

import pytest
from django.urls import reverse

from portal.casereviews import selectors
from portal.core.models import AuditEvent

from .test_permissions import case_world  # noqa: F401 -- the shared fixture of the case matrix

READS = [
    ("casereviews:case_detail", lambda w: {"pk": w.submitted.pk}, "member_a", "case.view", "submitted"),
    ("casereviews:case_edit", lambda w: {"pk": w.draft.pk}, "member_a", "case.edit_view", "draft"),
    (
        "casereviews:case_attachment",
        lambda w: {"pk": w.draft.pk, "attachment_pk": w.attachment.pk},
        "member_a",
        "case.attachment",
        "draft",
    ),
    ("casereviews:advice_edit", lambda w: {"pk": w.scheduled.pk}, "expert", "advice.view", "scheduled"),
    ("casereviews:advice_pdf", lambda w: {"pk": w.advised.pk}, "member_a", "case.advice_pdf", "advised"),
]


@pytest.mark.parametrize(("name", "kwargs", "actor", "action", "state"), READS, ids=[r[0] for r in READS])
def test_read_of_a_case_is_audited_and_listed_among_its_readers(
    client,
    case_world,  # noqa: F811 -- the imported fixture
    name,
    kwargs,
    actor,
    action,
    state,
):
    user = getattr(case_world, actor)
    client.force_login(user)

    response = client.get(reverse(name, kwargs=kwargs(case_world)))

    assert response.status_code == 200
    case = getattr(case_world, state)
    event = AuditEvent.objects.get(action=action, actor=user, object_id=str(case.pk))
    assert event.object_repr == case.reference
    assert event in list(selectors.readers_of(case))


def test_meeting_agenda_read_is_audited(client, case_world):  # noqa: F811
    client.force_login(case_world.expert)

    client.get(reverse("casereviews:meeting_detail", args=[case_world.meeting.pk]))

    assert AuditEvent.objects.filter(
        action="meeting.view", actor=case_world.expert, object_id=str(case_world.meeting.pk)
    ).exists()


@pytest.mark.django_db
def test_audit_rows_of_cases_never_carry_typed_text(client, org_a, member_a, coordinator):
    from portal.casereviews import services

    from .conftest import CLEAN_CASE, png_upload, submit_confirming_every_finding

    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={**CLEAN_CASE, "pseudonym": "ひみつ仮名"},
        uploads_=[png_upload("山田家の家系図.png")],
    )
    client.force_login(member_a)
    client.get(reverse("casereviews:case_edit", args=[case.pk]))
    client.get(reverse("casereviews:case_attachment", args=[case.pk, case.attachments.get().pk]))
    submit_confirming_every_finding(member_a, case)  # the image is confirmed as checked
    services.case_return(actor=coordinator, case=case, comment="母の通院先を")

    typed = ["ひみつ仮名", "山田家", "母の通院先", "本人に会えない"]
    for event in AuditEvent.objects.all():
        blob = f"{event.object_repr}{event.details}"
        assert not [t for t in typed if t in blob], (event.action, blob)
