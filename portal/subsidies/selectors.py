"""Reads of the start-up subsidy, always for a person, built on the visibility querysets."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from . import permissions
from .models import Application, Call, Comment, ExpenseLine


def applications_for_list(user, *, fiscal_year: int | None = None, status: str = ""):
    qs = permissions.visible_applications(user).annotate(
        planned_total=Sum("lines__planned"),
    )
    if fiscal_year:
        qs = qs.filter(call__fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-call__fiscal_year", "organization__code")


def years_by_organization(org_ids) -> dict[int, list[int]]:
    """Fiscal years in which each municipality received the subsidy (one query)."""
    years: dict[int, list[int]] = defaultdict(list)
    rows = (
        Application.objects.filter(organization_id__in=list(org_ids), status__in=Application.USED)
        .order_by("call__fiscal_year")
        .values_list("organization_id", "call__fiscal_year")
    )
    for org_id, year in rows:
        years[org_id].append(year)
    return years


def call_summary(call: Call) -> dict:
    """Counts by status and money against the budget for the coordinator's view of a call."""
    by_status = dict(
        call.applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    granted = call.applications.filter(status__in=Application.USED).aggregate(
        granted=Sum("granted_amount"), final=Sum("final_amount")
    )
    requested = (
        ExpenseLine.objects.filter(
            application__call=call, application__status__in=("submitted", "returned")
        ).aggregate(total=Sum("planned"))["total"]
        or 0
    )
    granted_total = granted["granted"] or 0
    return {
        "by_status": [(label, by_status.get(value, 0)) for value, label in Application.Status.choices],
        "granted": granted_total,
        "final": granted["final"] or 0,
        "remaining": call.budget - granted_total,
        "requested_planned": requested,
    }


def call_applications(call: Call):
    """Every application of a call with its totals (coordinators)."""
    return (
        call.applications.select_related("organization")
        .annotate(planned_total=Sum("lines__planned"), actual_total=Sum("lines__actual"))
        .order_by("organization__code")
    )


def comments_by_round(application: Application) -> list[tuple[int, list[Comment]]]:
    rounds: dict[int, list[Comment]] = defaultdict(list)
    for c in application.comments.select_related("author"):
        rounds[c.round].append(c)
    return sorted(rounds.items(), reverse=True)


def application_with_lines(application: Application) -> Application:
    return Application.objects.prefetch_related(
        Prefetch("lines", queryset=ExpenseLine.objects.order_by("order", "pk"))
    ).get(pk=application.pk)
