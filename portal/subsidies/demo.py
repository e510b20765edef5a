"""Demo records of the start-up subsidy (run by ``seed_demo``; idempotent, any hour of the day).

八王子市 received the subsidy last fiscal year (final amount confirmed) and has submitted its
second-year application; 文京区 has a draft for this year's call."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Organization, User
from portal.core import pdf
from portal.core.dates import business_day_on_or_after, fiscal_year_of

from . import services
from .models import Application, Call

DOCUMENTS = ["事業計画書", "収支予算書", "実施要綱（案）"]
RULES = (
    "国の「ひきこもり地域支援センター等設置運営事業」を新たに実施する区市町村に対し、事業経費の一部を補助します。\n"
    "補助は同一区市町村につき原則2年を上限とします（ひきこもり支援推進体制立ち上げ支援補助金交付要綱）。"
)
PLAN = {
    "project_name": "ひきこもり地域支援センターの設置",
    "staffing": "社会福祉士 1名、精神保健福祉士 1名（会計年度任用職員）",
    "partners": "社会福祉協議会、地域の連携団体、家族会",
    "plan": "相談窓口を開設し、訪問支援と居場所づくりを始める。関係機関との連絡会を年4回開催する。",
}
LINES = [
    {"category": "personnel", "description": "相談支援員の報酬", "planned": 4_800_000},
    {"category": "fees", "description": "専門職による研修講師謝礼", "planned": 300_000},
    {"category": "supplies", "description": "周知用リーフレットの印刷", "planned": 400_000},
]


def _pdf(name):
    """A real small PDF, as a municipality would attach (``core.pdf.demo_document``)."""
    title = name.removesuffix(".pdf")
    return pdf.demo_document(name, title, [f"{title}（デモ用の書類です）"])


def _call(coordinator, fiscal_year: int) -> Call:
    call = Call.objects.filter(fiscal_year=fiscal_year).first()
    if call is None:
        today = timezone.localdate()
        call = services.call_create(
            actor=coordinator,
            fiscal_year=fiscal_year,
            opens_on=today,
            closes_on=business_day_on_or_after(today + dt.timedelta(days=30)),
            budget=30_000_000,
            report_due=business_day_on_or_after(today + dt.timedelta(days=400)),
            subsidy_rate=50,
            max_grant=5_000_000,
            required_documents=DOCUMENTS,
            rules=RULES,
        )
        call = services.call_open(actor=coordinator, call=call)
    return call


def _apply(call, org, staff, *, submit: bool) -> Application:
    application = services.application_start(actor=staff, call=call, organization=org)
    if application.status != Application.Status.DRAFT:
        return application
    starts = max(timezone.localdate(), dt.date(call.fiscal_year, 4, 1))
    starts = min(starts, dt.date(call.fiscal_year + 1, 3, 31))
    application = services.application_save(
        actor=staff,
        application=application,
        based_on_version=application.version,
        plan={**PLAN, "starts_on": starts},
        lines=LINES,
    )
    if submit:
        for name in DOCUMENTS:
            services.document_upload(
                actor=staff, application=application, requirement=name, upload=_pdf(f"{name}.pdf")
            )
        application.refresh_from_db()
        application = services.application_submit(
            actor=staff, application=application, based_on_version=application.version, declared=True
        )
    return application


def seed_demo() -> None:
    coordinator = User.objects.filter(email="coordinator@example.jp").first()
    hachioji = Organization.objects.filter(name="八王子市", kind="municipality").first()
    bunkyo = Organization.objects.filter(name="文京区", kind="municipality").first()
    h_staff = User.objects.filter(email="hachioji@example.jp").first()
    b_staff = User.objects.filter(email="bunkyo@example.jp").first()
    if not all((coordinator, hachioji, bunkyo, h_staff, b_staff)):
        return
    year = fiscal_year_of(timezone.localdate())
    if not Call.objects.filter(fiscal_year=year - 1).exists():
        # Last year's cycle, run through the services while the call is open, then dated back.
        last = _call(coordinator, year - 1)
        application = _apply(last, hachioji, h_staff, submit=True)
        application = services.application_decide(
            actor=coordinator, application=application, grant=True, amount=2_750_000, conditions=""
        )
        services.report_save(
            actor=h_staff,
            application=application,
            based_on_version=application.version,
            summary="相談窓口を開設し、延べ120件の相談に対応した。",
            actuals={x.pk: x.planned for x in application.lines.all()},
        )
        application.refresh_from_db()
        application = services.report_submit(
            actor=h_staff, application=application, based_on_version=application.version
        )
        services.application_finalize(
            actor=coordinator,
            application=application,
            final_amount=services.proposed_final_amount(application),
        )
        Call.objects.filter(pk=last.pk).update(
            opens_on=dt.date(year - 1, 4, 1),
            closes_at=services.closing_datetime(business_day_on_or_after(dt.date(year - 1, 5, 30))),
            report_due=business_day_on_or_after(dt.date(year, 4, 30)),
        )
    current = _call(coordinator, year)
    if current.accepts_applications():
        _apply(current, hachioji, h_staff, submit=True)
        _apply(current, bunkyo, b_staff, submit=False)
