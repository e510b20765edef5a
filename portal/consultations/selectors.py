"""Reads of メール相談 and 相談記録, always through the visibility querysets of ``permissions``."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from portal.core.dates import fiscal_year_range

from . import permissions
from .models import AgeBand, Message, Method, Record, Referral, Relation, Thread, Topic, Withdrawal
from .numbers import normalise_user_number


def inbox(user, *, show: str = "open"):
    """Threads waiting for a reply first, the longest wait at the top; then the others by last contact."""
    threads = permissions.visible_threads(user).select_related("assigned_to")
    if show == "open":
        threads = threads.exclude(status=Thread.Status.CLOSED)
    elif show == "mine":
        threads = threads.filter(assigned_to=user).exclude(status=Thread.Status.CLOSED)
    elif show == "closed":
        threads = threads.filter(status=Thread.Status.CLOSED)
    unread = Message.objects.filter(
        thread=OuterRef("pk"), author_kind=Message.Author.RESIDENT, created_at__gte=OuterRef("waiting_since")
    )
    return threads.annotate(has_new=Exists(unread), message_count=Count("messages")).order_by(
        F("waiting_since").asc(nulls_last=True), "-last_contact_at", "pk"
    )


def thread_page(thread: Thread):
    messages = list(thread.messages.select_related("author"))
    notes = list(thread.notes.select_related("author"))
    return messages, notes


def counsellors(user):
    """Who a thread can be assigned to: the secretariat's counsellors and coordinators."""
    from portal.accounts.selectors import counsellors as secretariat_counsellors

    permissions.require_counsellor(user)
    return secretariat_counsellors()


def records(user, *, query: str = "", method: str = ""):
    """相談記録, newest first; ``query`` finds a nickname or a 利用者番号 to continue a conversation."""
    rows = permissions.visible_records(user).select_related("municipality", "resident", "counsellor")
    if method:
        rows = rows.filter(method=method)
    query = (query or "").strip()
    if query:
        number = normalise_user_number(query)
        match = Q(nickname__icontains=query)
        if number:
            match |= Q(resident__user_number=number)
        rows = rows.filter(match)
    return rows.order_by("-date", "-pk")


def history_of(user, record: Record):
    """The other records of the same person (same 利用者番号, else same nickname), for continuing."""
    rows = permissions.visible_records(user).exclude(pk=record.pk)
    if record.resident_id:
        rows = rows.filter(resident_id=record.resident_id)
    elif record.nickname:
        rows = rows.filter(nickname=record.nickname)
    else:
        return rows.none()
    return rows.order_by("-date", "-pk")[:20]


# --- 相談実績 ---------------------------------------------------------------------------------

DIMENSIONS = {
    "method": Method,
    "relation": Relation,
    "age_band": AgeBand,
    "withdrawal": Withdrawal,
    "referral": Referral,
}


def statistics(user, fiscal_year: int) -> dict:
    """Counts of one fiscal year: per month and method, and per method, relation, age band,
    withdrawal, area, topic and referral. Numbers only, no text anyone wrote."""
    start, end = fiscal_year_range(fiscal_year)
    rows = permissions.visible_records(user).filter(date__range=(start, end))
    months = [(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1) for i in range(12)]
    by_month: Counter[tuple[int, int, str]] = Counter()
    for r in (
        rows.annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values("y", "m", "method")
        .annotate(n=Count("pk"))
    ):
        by_month[(r["y"], r["m"], r["method"])] = r["n"]
    monthly = [
        {
            "year": y,
            "month": m,
            "counts": [by_month[(y, m, code)] for code in Method.values],
            "total": sum(by_month[(y, m, code)] for code in Method.values),
        }
        for y, m in months
    ]
    tables: dict[str, list[tuple[str, int]]] = {}
    for name, choices in DIMENSIONS.items():
        counts = dict(rows.values_list(name).annotate(n=Count("pk")).values_list(name, "n"))
        tables[name] = [(str(label), counts.get(code, 0)) for code, label in choices.choices]
    area: Counter[str] = Counter()
    for muni, pref, n in rows.values_list("municipality__name", "prefecture").annotate(n=Count("pk")):
        area[muni or pref or "—"] += n
    tables["area"] = sorted(area.items(), key=lambda kv: (-kv[1], kv[0]))
    topics: Counter[str] = Counter()
    for topic_list in rows.values_list("topics", flat=True):
        topics.update(topic_list or [])
    tables["topic"] = [(str(label), topics.get(code, 0)) for code, label in Topic.choices]
    totals = [sum(by_month[(y, m, code)] for code in Method.values) for y, m in months]
    total = sum(totals)
    peak = max([*totals, 1])
    return {"monthly": monthly, "tables": tables, "total": total, "peak": peak, "methods": Method.choices}


def default_fiscal_year(today: dt.date | None = None) -> int:
    from portal.core.dates import fiscal_year_of

    return fiscal_year_of(today or timezone.localdate())


def municipalities():
    """Tokyo's 62 区市町村, for a record's area."""
    from portal.accounts.models import Organization

    return Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by("code")
