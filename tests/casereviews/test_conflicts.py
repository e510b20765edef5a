"""Conflicts of interest: a conflicted expert is never given the case and sees nothing of it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.casereviews import services
from portal.casereviews.models import Case, ConflictOfInterest
from portal.core import feeds
from portal.core.calendars import build_ics
from portal.core.models import AuditEvent

from .conftest import submitted_case

REASON = "別の立場で甲市の相談役をしている"


def _fresh(user):
    user.__dict__.pop("_portal_perm_cache", None)
    user.refresh_from_db()
    return user


def _scheduled(coordinator, org, staff, meeting):
    case = services.case_accept(actor=coordinator, case=submitted_case(org, staff))
    return services.case_schedule(actor=coordinator, case=case, meeting=meeting)


def _sees_nothing(client, expert, case, meeting=None):
    """The expert finds the case nowhere: not in the list, the dashboard, the agenda, the feed;
    its page, attachments' case and advice PDF answer 404 (not the "access ended" page)."""
    client.force_login(_fresh(expert))
    assert case.reference not in client.get(reverse("casereviews:case_list")).content.decode()
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    panel = dashboard.split('aria-labelledby="cases-m-h"', 1)[1].split("</section>", 1)[0]
    assert case.reference not in panel  # (notifications sent before the conflict stay the person's)
    assert client.get(reverse("casereviews:case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("casereviews:advice_edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("casereviews:advice_pdf", args=[case.pk])).status_code == 404
    if meeting is not None:
        agenda = client.get(reverse("casereviews:meeting_detail", args=[meeting.pk]))
        assert agenda.status_code == 200
        assert case.reference not in agenda.content.decode()
    ics = build_ics(*feeds.events_for(_fresh(expert)))
    assert case.reference not in ics


@pytest.mark.django_db
def test_conflicted_expert_is_refused_at_adhoc_assignment_with_the_reason(
    client, coordinator, org_a, member_a, other_expert
):
    services.conflict_declare(actor=coordinator, expert=other_expert, organization=org_a, reason=REASON)
    case = submitted_case(org_a, member_a)
    client.force_login(coordinator)

    response = client.post(
        reverse("casereviews:case_adhoc", args=[case.pk]), {"expert": other_expert.pk}, follow=True
    )

    page = response.content.decode()
    assert "利益相反" in page and REASON in page
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and case.adhoc_expert is None
    assert not _fresh(other_expert).has_perm("casereviews.read_case", case)
    assert not AuditEvent.objects.filter(action="case.grant").exists()


@pytest.mark.django_db
def test_case_is_not_put_on_a_meeting_whose_panel_has_a_conflicted_expert(
    coordinator, org_a, member_a, panel_expert, meeting
):
    case = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
    services.conflict_declare(actor=panel_expert, expert=panel_expert, case=case, reason=REASON)

    with pytest.raises(ValidationError) as refused:
        services.case_schedule(actor=coordinator, case=case, meeting=meeting)

    assert REASON in " ".join(refused.value.messages)
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED and case.meeting is None
    assert not _fresh(panel_expert).has_perm("casereviews.read_case", case)


@pytest.mark.django_db
def test_conflicted_expert_is_not_added_to_the_panel_of_a_meeting_with_that_case(
    coordinator, org_a, member_a, panel_expert, other_expert, meeting
):
    case = _scheduled(coordinator, org_a, member_a, meeting)
    services.conflict_declare(actor=coordinator, expert=other_expert, case=case, reason=REASON)
    meeting.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            actor=coordinator,
            meeting=meeting,
            based_on_version=meeting.version,
            starts_at=meeting.starts_at,
            venue=meeting.venue,
            online_url="",
            capacity=meeting.capacity,
            panel=[panel_expert, other_expert],
        )

    assert REASON in " ".join(refused.value.messages)
    assert list(meeting.panel.all()) == [panel_expert]
    assert not _fresh(other_expert).has_perm("casereviews.read_case", case)


@pytest.mark.django_db
def test_declaring_a_conflict_on_a_granted_case_ends_access_at_once(
    client, coordinator, org_a, member_a, panel_expert, meeting
):
    case = _scheduled(coordinator, org_a, member_a, meeting)
    other = _scheduled(coordinator, org_a, member_a, meeting)
    client.force_login(_fresh(panel_expert))
    assert client.get(reverse("casereviews:case_detail", args=[case.pk])).status_code == 200

    response = client.post(
        reverse("casereviews:conflict_list"), {"case_reference": case.reference, "reason": REASON}
    )

    assert response.status_code == 302
    assert not _fresh(panel_expert).has_perm("casereviews.read_case", case)
    _sees_nothing(client, panel_expert, case, meeting)
    # the other case of the meeting stays on their agenda
    agenda = client.get(reverse("casereviews:meeting_detail", args=[meeting.pk])).content.decode()
    assert other.reference in agenda
    conflict = ConflictOfInterest.objects.get()
    declared = AuditEvent.objects.get(action="conflict.declare")
    revoked = AuditEvent.objects.get(action="case.revoke", object_id=str(case.pk))
    assert declared.details == {"expert": panel_expert.pk, "organization": None, "case": case.pk}
    assert revoked.details == {"user": panel_expert.pk, "cause": "conflict", "conflict": conflict.pk}
    assert REASON not in declared.object_repr + str(declared.details) + str(revoked.details)


@pytest.mark.django_db
def test_conflict_with_a_municipality_hides_its_cases_and_the_advice_the_expert_wrote(
    client, coordinator, org_a, org_b, member_a, admin_b, other_expert
):
    case = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=other_expert
    )
    services.advice_save(
        actor=_fresh(other_expert), case=case, content={"legal": "法的な整理"}, based_on_version=0
    )
    services.advice_save(actor=coordinator, case=case, content={"summary": "助言"}, based_on_version=1)
    services.advice_issue(actor=coordinator, case=case)
    elsewhere = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_b, admin_b), expert=other_expert
    )
    client.force_login(_fresh(other_expert))
    assert client.get(reverse("casereviews:advice_pdf", args=[case.pk])).status_code == 200

    services.conflict_declare(actor=coordinator, expert=other_expert, organization=org_a, reason=REASON)

    _sees_nothing(client, other_expert, case)
    listed = client.get(reverse("casereviews:case_list")).content.decode()
    assert elsewhere.reference in listed


@pytest.mark.django_db
def test_ended_conflict_stays_in_the_history_and_the_expert_can_be_assigned_again(
    client, coordinator, org_a, member_a, other_expert
):
    conflict = services.conflict_declare(
        actor=coordinator, expert=other_expert, organization=org_a, reason=REASON
    )
    client.force_login(coordinator)

    assert client.post(reverse("casereviews:conflict_end", args=[conflict.pk])).status_code == 302

    conflict.refresh_from_db()
    assert conflict.ended_at is not None and conflict.ended_by == coordinator
    page = client.get(reverse("casereviews:conflict_list")).content.decode()
    assert REASON in page and "終了" in page
    case = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=other_expert
    )
    assert _fresh(other_expert).has_perm("casereviews.read_case", case)
    assert AuditEvent.objects.filter(action="conflict.end", object_id=str(conflict.pk)).exists()
    assert AuditEvent.objects.filter(action="case.grant", details__user=other_expert.pk).exists()


@pytest.mark.django_db
def test_expert_cannot_end_a_conflict_the_secretariat_recorded(client, coordinator, org_a, other_expert):
    conflict = services.conflict_declare(
        actor=coordinator, expert=other_expert, organization=org_a, reason=REASON
    )
    client.force_login(_fresh(other_expert))

    response = client.post(reverse("casereviews:conflict_end", args=[conflict.pk]))

    assert response.status_code == 403
    conflict.refresh_from_db()
    assert conflict.ended_at is None


@pytest.mark.django_db
def test_expert_cannot_declare_on_a_case_they_cannot_read(client, org_a, member_a, panel_expert):
    """Naming a case by reference finds only cases the expert may read: the answer for another
    case is the same as for a reference that does not exist."""
    case = submitted_case(org_a, member_a)
    client.force_login(_fresh(panel_expert))

    response = client.post(
        reverse("casereviews:conflict_list"), {"case_reference": case.reference, "reason": REASON}
    )

    assert response.status_code == 200
    assert "この番号で閲覧できるケースはありません。" in response.content.decode()
    assert REASON in response.content.decode()  # what was typed is kept
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.django_db
def test_every_grant_on_a_meeting_is_audited(coordinator, org_a, member_a, panel_expert, meeting):
    case = _scheduled(coordinator, org_a, member_a, meeting)

    grant = AuditEvent.objects.get(action="case.grant", object_id=str(case.pk))

    assert grant.details == {"user": panel_expert.pk} and grant.actor == coordinator


@pytest.mark.django_db
def test_visibility_rule_hides_a_conflicted_case_even_if_a_grant_is_left(
    client, coordinator, org_a, member_a, other_expert
):
    """The conflict is part of the one visibility rule, not only of the grant paths: a grant left
    from before (data older than the conflicts, a grant made outside the services) still shows
    nothing."""
    from guardian.shortcuts import assign_perm

    case = submitted_case(org_a, member_a)
    ConflictOfInterest.objects.create(
        expert=other_expert, organization=org_a, reason=REASON, declared_by=coordinator
    )
    assign_perm("casereviews.read_case", other_expert, case)

    _sees_nothing(client, other_expert, case)
