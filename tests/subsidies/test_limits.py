"""The rules of the start-up subsidy that a wrong number breaks silently: the call closes at 17:00
Tokyo time on its closing day, a grant never exceeds the per-municipality upper limit, and a change
request is held to the same share, limit and status as the decision."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from portal.subsidies import services
from portal.subsidies.models import Application, ChangeRequest

from .conftest import draft, granted, make_call, pdf_upload, submitted

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def _ready_draft(call, org, staff):
    application = draft(call, org, staff)
    for name in call.required_documents:
        services.document_upload(actor=staff, application=application, requirement=name, upload=pdf_upload())
    application.refresh_from_db()
    return application


def _submit(staff, application):
    return services.application_submit(
        actor=staff, application=application, based_on_version=application.version, declared=True
    )


def test_call_closes_at_17_tokyo_time_on_its_closing_day(call, org_a, org_b, member_a, admin_b):
    close_day = call.closes_at.astimezone(TOKYO).date()
    assert call.closes_at.astimezone(TOKYO).time() == dt.time(17, 0)
    on_time, late = _ready_draft(call, org_a, member_a), _ready_draft(call, org_b, admin_b)

    with time_machine.travel(dt.datetime.combine(close_day, dt.time(16, 59), TOKYO), tick=False):
        assert _submit(member_a, on_time).status == "submitted"
    after = dt.datetime.combine(close_day, dt.time(17, 0, 1), TOKYO)
    with time_machine.travel(after, tick=False), pytest.raises(ValidationError):
        _submit(admin_b, late)

    assert Application.objects.get(pk=late.pk).status == "draft"


@pytest.fixture
def capped_call(coordinator):
    call = make_call(coordinator, 2026, open_=False)
    call = services.call_update(
        actor=coordinator,
        call=call,
        based_on_version=call.version,
        closes_on=call.closes_at.astimezone(TOKYO).date(),
        max_grant=600_000,
    )
    return services.call_open(actor=coordinator, call=call)


def test_grant_above_the_per_municipality_limit_is_refused(capped_call, org_a, member_a, coordinator):
    application = submitted(capped_call, org_a, member_a)  # half of 2,200,000 planned: 1,100,000

    with pytest.raises(ValidationError):
        services.application_decide(actor=coordinator, application=application, grant=True, amount=600_001)

    assert Application.objects.get(pk=application.pk).status == "submitted"
    decided = services.application_decide(
        actor=coordinator, application=application, grant=True, amount=600_000
    )
    assert decided.granted_amount == 600_000


def test_change_to_an_amount_above_the_limit_is_refused_when_asked_and_when_decided(
    capped_call, org_a, member_a, coordinator
):
    application = granted(capped_call, org_a, member_a, coordinator, amount=500_000)
    with pytest.raises(ValidationError):
        services.change_request(actor=member_a, application=application, reason="増額", new_amount=600_001)
    # a request stored before the limit was lowered is checked again when it is decided
    change = ChangeRequest.objects.create(
        application=application, reason="増額", new_amount=700_000, requested_by=member_a
    )

    with pytest.raises(ValidationError):
        services.change_decide(actor=coordinator, change=change, approve=True)

    assert Application.objects.get(pk=application.pk).granted_amount == 500_000
    assert ChangeRequest.objects.get(pk=change.pk).status == "pending"


def test_change_above_the_subsidised_share_is_refused(call, org_a, member_a, coordinator):
    application = granted(call, org_a, member_a, coordinator)  # share: 1,100,000

    with pytest.raises(ValidationError):
        services.change_request(actor=member_a, application=application, reason="増額", new_amount=1_100_001)

    assert not application.changes.exists()


def test_change_is_not_approved_once_the_report_is_in(call, org_a, member_a, coordinator):
    application = granted(call, org_a, member_a, coordinator)
    change = services.change_request(
        actor=member_a, application=application, reason="減額", new_amount=900_000
    )
    application = reported_from(application, member_a)

    with pytest.raises(ValidationError):
        services.change_decide(actor=coordinator, change=change, approve=True)

    assert Application.objects.get(pk=application.pk).granted_amount == 1_000_000


def reported_from(application, staff):
    application = services.report_save(
        actor=staff,
        application=application,
        based_on_version=application.version,
        summary="実施した",
        actuals={x.pk: x.planned for x in application.lines.all()},
    )
    return services.report_submit(actor=staff, application=application, based_on_version=application.version)
