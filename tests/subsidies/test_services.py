import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from portal.core.models import AuditEvent
from portal.subsidies import services
from portal.subsidies.models import Application, Comment

from .conftest import LINES, PLAN, draft, granted, make_call, pdf_upload, reported, submitted

pytestmark = pytest.mark.django_db


def test_two_year_limit_refuses_a_third_year_with_the_years_used(coordinator, org_a, member_a):
    for year in (2024, 2025):
        services.application_finalize(
            actor=coordinator,
            application=reported(make_call(coordinator, year), org_a, member_a, coordinator),
            final_amount=500_000,
        )
    third = make_call(coordinator, 2026)

    with pytest.raises(services.YearLimitReached) as exc:
        services.application_start(actor=member_a, call=third, organization=org_a)

    assert exc.value.years == [2024, 2025]
    assert "令和6年度・令和7年度" in exc.value.messages[0]
    assert not Application.objects.filter(call=third).exists()


def test_two_year_limit_counts_only_granted_years(coordinator, org_a, member_a):
    refused = submitted(make_call(coordinator, 2024), org_a, member_a)
    services.application_decide(actor=coordinator, application=refused, grant=False)
    granted(make_call(coordinator, 2025), org_a, member_a, coordinator)

    application = submitted(make_call(coordinator, 2026), org_a, member_a)

    assert application.year_number == 2


def test_two_year_limit_checked_again_at_decision(coordinator, org_a, member_a):
    """Drafts started before the second grant cannot become a third year."""
    c24, c25, c26 = (make_call(coordinator, y) for y in (2024, 2025, 2026))
    granted(c24, org_a, member_a, coordinator)
    second = submitted(c25, org_a, member_a)
    third = submitted(c26, org_a, member_a)
    services.application_decide(actor=coordinator, application=second, grant=True, amount=100_000)

    with pytest.raises(services.YearLimitReached):
        services.application_decide(actor=coordinator, application=third, grant=True, amount=100_000)
    assert Application.objects.get(pk=third.pk).status == "submitted"


def test_stale_save_is_refused_and_nothing_written(call, org_a, member_a, admin_a):
    application = draft(call, org_a, member_a)
    loaded = application.version
    services.application_save(
        actor=admin_a,
        application=application,
        based_on_version=loaded,
        plan={**PLAN, "plan": "A"},
        lines=LINES,
    )

    with pytest.raises(services.StaleEdit) as exc:
        services.application_save(
            actor=member_a,
            application=application,
            based_on_version=loaded,
            plan={**PLAN, "plan": "B"},
            lines=[],
        )

    assert exc.value.current.plan == "A"
    assert Application.objects.get(pk=application.pk).lines.count() == 2


def test_submit_lists_what_is_missing(call, org_a, member_a):
    application = services.application_start(actor=member_a, call=call, organization=org_a)

    with pytest.raises(services.Incomplete) as exc:
        services.application_submit(
            actor=member_a, application=application, based_on_version=application.version, declared=False
        )

    text = " ".join(exc.value.problems)
    assert "事業計画書" in text and "収支予算書" in text
    assert len(exc.value.problems) >= 7


def test_documents_are_checked_by_content_and_versioned(call, org_a, member_a):
    application = draft(call, org_a, member_a)
    fake = pdf_upload("plan.pdf")
    fake.file.write(b"")
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.document_upload(
            actor=member_a,
            application=application,
            requirement="事業計画書",
            upload=SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        )
    first = services.document_upload(
        actor=member_a, application=application, requirement="事業計画書", upload=pdf_upload()
    )
    second = services.document_upload(
        actor=member_a, application=application, requirement="事業計画書", upload=pdf_upload()
    )

    assert (first.number, second.number) == (1, 2)
    assert services.latest_documents(application)["事業計画書"] == second


def test_return_with_comments_per_section_then_resubmit_keeps_history(call, org_a, member_a, coordinator):
    application = submitted(call, org_a, member_a)
    mail.outbox.clear()

    services.application_return(
        actor=coordinator,
        application=application,
        comments={"plan": "開始日を確認", "expenses": "", "documents": "版を更新"},
    )
    application.refresh_from_db()
    assert application.status == "returned"
    assert sorted(Comment.objects.filter(application=application).values_list("section", flat=True)) == [
        "documents",
        "plan",
    ]
    application = services.application_save(
        actor=member_a, application=application, based_on_version=application.version, plan=PLAN, lines=LINES
    )
    application = services.application_submit(
        actor=member_a, application=application, based_on_version=application.version, declared=True
    )

    assert application.status == "submitted"
    assert list(application.revisions.values_list("number", flat=True)) == [1, 2]


def test_decision_never_exceeds_the_budget(coordinator, org_a, org_b, member_a, admin_b):
    call = make_call(coordinator, 2026, budget=1_500_000)
    a = submitted(call, org_a, member_a)
    b = submitted(call, org_b, admin_b)
    services.application_decide(actor=coordinator, application=a, grant=True, amount=1_000_000)

    with pytest.raises(services.OverBudget):
        services.application_decide(actor=coordinator, application=b, grant=True, amount=600_000)

    assert services.budget_granted(call) == 1_000_000


def test_decision_is_numbered_and_audited(call, org_a, member_a, coordinator):
    application = granted(call, org_a, member_a, coordinator)

    assert application.number == "令和8年度立支第1号"
    assert AuditEvent.objects.filter(
        action="subsidy_application.grant", object_id=str(application.pk)
    ).exists()


def test_only_own_municipality_writes(call, org_a, member_a, admin_b):
    application = draft(call, org_a, member_a)
    with pytest.raises(PermissionDenied):
        services.application_save(
            actor=admin_b, application=application, based_on_version=application.version, plan=PLAN, lines=[]
        )


def test_report_and_final_amount(call, org_a, member_a, coordinator):
    application = reported(call, org_a, member_a, coordinator)

    assert services.proposed_final_amount(application) == 1_000_000  # capped by the grant
    with pytest.raises(ValidationError):
        services.application_finalize(actor=coordinator, application=application, final_amount=1_000_001)
    final = services.application_finalize(actor=coordinator, application=application, final_amount=900_000)
    assert (final.status, final.final_amount) == ("final", 900_000)


def test_change_request_approved_changes_the_grant(call, org_a, member_a, coordinator):
    application = granted(call, org_a, member_a, coordinator)
    change = services.change_request(
        actor=member_a, application=application, reason="人員増", new_amount=1_100_000
    )

    services.change_decide(actor=coordinator, change=change, approve=True)

    assert Application.objects.get(pk=application.pk).granted_amount == 1_100_000


def test_reminders_once_before_closing_and_report(call, org_a, member_a, coordinator):
    draft(call, org_a, member_a)
    from django.utils import timezone

    close_day = timezone.localdate(call.closes_at)
    mail.outbox.clear()
    assert services.send_reminders(close_day - dt.timedelta(days=7)) == 1
    assert services.send_reminders(close_day - dt.timedelta(days=7)) == 0
    assert services.send_reminders(close_day - dt.timedelta(days=5)) == 0


def test_another_municipality_cannot_submit_or_report_through_the_services(
    call, coordinator, org_a, member_a, admin_b
):
    application = draft(call, org_a, member_a)
    with pytest.raises(PermissionDenied):
        services.application_submit(
            actor=admin_b, application=application, based_on_version=application.version, declared=True
        )
    application = granted(call, org_a, member_a, coordinator)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=admin_b, application=application, based_on_version=application.version)
