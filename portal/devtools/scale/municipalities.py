"""Scale data of the network-building programme: a programme for each of ten years with about a
tenth of all municipalities taking part, each with its hearing sheet answered."""

from __future__ import annotations

import datetime as dt

from portal.accounts.models import Organization, User
from portal.devtools.scale import Plan, bulk
from portal.municipalities import services
from portal.municipalities.models import HearingSheet, Participation, Programme


def _answer(question, n: int):
    kind = question.kind
    if kind == "number":
        return 10 + n % 90
    if kind == "multiple":
        return list(question.choices[:2])
    if kind == "single":
        return question.choices[0] if question.choices else ""
    if kind == "yes_no":
        return n % 2 == 0
    if kind == "date":
        return "2026-01-15"
    if kind == "file":
        return ""
    return "福祉課と保健センターが連携して対応している。"


def generate(*, plan: Plan) -> None:
    coordinator = User.objects.get(email=plan.email("coordinator"))
    if Participation.objects.filter(requested_by=coordinator).exists():
        return
    municipalities = list(
        Organization.objects.filter(kind="municipality").order_by("pk").values_list("pk", flat=True)
    )
    big = Organization.objects.get(kind="municipality", name="スケール市").pk
    per_year = max(2, len(municipalities) // 10)
    for index, fy in enumerate(plan.years()):
        programme = Programme.objects.filter(fiscal_year=fy).first() or services.programme_open(
            actor=coordinator, fiscal_year=fy, hearing_deadline=dt.date(fy, 7, 31)
        )
        taken = set(
            Participation.objects.filter(programme=programme).values_list("organization_id", flat=True)
        )
        chosen = [big] + municipalities[index * per_year : (index + 1) * per_year]
        chosen = [pk for pk in dict.fromkeys(chosen) if pk not in taken]
        bulk(
            Participation,
            (
                Participation(
                    programme=programme, organization_id=pk, status="accepted", requested_by=coordinator
                )
                for pk in chosen
            ),
        )
        questions = list(programme.questions.all())
        have_sheet = set(
            HearingSheet.objects.filter(programme=programme).values_list("organization_id", flat=True)
        )
        bulk(
            HearingSheet,
            (
                HearingSheet(
                    programme=programme,
                    organization_id=pk,
                    status=HearingSheet.Status.SUBMITTED,
                    answers={q.key: _answer(q, n) for q in questions},
                    submitted_at=plan.now - dt.timedelta(days=365 * (len(plan.years()) - index)),
                )
                for n, pk in enumerate(chosen)
                if pk not in have_sheet
            ),
        )
