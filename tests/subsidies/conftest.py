import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.subsidies import services
from portal.subsidies.models import Call

DOCUMENTS = ["事業計画書", "収支予算書"]
PLAN = {
    "project_name": "ひきこもり地域支援センターの設置",
    "starts_on": dt.date(2026, 6, 1),
    "staffing": "社会福祉士 1名",
    "partners": "社会福祉協議会",
    "plan": "相談窓口を開設する。",
}
LINES = [
    {"category": "personnel", "description": "相談支援員の報酬", "planned": 2_000_000},
    {"category": "supplies", "description": "リーフレット印刷", "planned": 200_000},
]


def pdf_upload(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def make_call(coordinator, fiscal_year, *, budget=10_000_000, open_=True) -> Call:
    today = timezone.localdate()
    call = services.call_create(
        actor=coordinator,
        fiscal_year=fiscal_year,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        budget=budget,
        report_due=today + dt.timedelta(days=400),
        subsidy_rate=50,
        required_documents=DOCUMENTS,
        rules="要綱",
    )
    return services.call_open(actor=coordinator, call=call) if open_ else call


def draft(call, org, staff, *, lines=LINES):
    application = services.application_start(actor=staff, call=call, organization=org)
    return services.application_save(
        actor=staff, application=application, based_on_version=application.version, plan=PLAN, lines=lines
    )


def submitted(call, org, staff, **kw):
    application = draft(call, org, staff, **kw)
    for name in call.required_documents:
        services.document_upload(actor=staff, application=application, requirement=name, upload=pdf_upload())
    application.refresh_from_db()
    return services.application_submit(
        actor=staff, application=application, based_on_version=application.version, declared=True
    )


def granted(call, org, staff, coordinator, amount=1_000_000):
    return services.application_decide(
        actor=coordinator, application=submitted(call, org, staff), grant=True, amount=amount
    )


def reported(call, org, staff, coordinator):
    application = granted(call, org, staff, coordinator)
    application = services.report_save(
        actor=staff,
        application=application,
        based_on_version=application.version,
        summary="実施した",
        actuals={x.pk: x.planned for x in application.lines.all()},
    )
    return services.report_submit(actor=staff, application=application, based_on_version=application.version)


@pytest.fixture
def call(coordinator):
    return make_call(coordinator, 2026)
