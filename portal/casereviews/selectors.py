from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.models import AuditEvent

from . import permissions
from .models import Case, Meeting

# Every audited read of a case: who saw the narrative, the attachments or the advice.
READ_ACTIONS = ["case.view", "case.edit_view", "case.attachment", "advice.view", "case.advice_pdf"]


def cases_visible_to(user):
    """Lists of cases: built on the one visibility rule in permissions."""
    return permissions.visible_cases(user)


# What a line of the case list shows: never the narrative columns (kilobytes a case).
LIST_COLUMNS = (
    "reference",
    "status",
    "urgency",
    "disciplines",
    "blind_review",
    "updated_at",
    "created_at",
    "organization_id",
    "organization__name",
    "organization__kind",
    "meeting_id",
    "meeting__starts_at",
)


def case_list_rows(queryset):
    """The rows of a case list (a filtered visibility queryset) with only the columns it shows."""
    return queryset.only(*LIST_COLUMNS)


def case_list_page_rows(keys):
    """The lines of one page of a case list, by the keys ``core.paging.deferred_page`` has just
    read from the list's visibility queryset: the rule is not evaluated a second time (for an
    expert it is two subqueries, over their grants and their conflicts)."""
    return case_list_rows(Case.objects.select_related("organization", "meeting").filter(pk__in=keys))


def upcoming_meetings():
    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()).annotate(
        booked=Count("cases")
    )


def meetings_for(user):
    return permissions.visible_meetings(user).annotate(booked=Count("cases")).order_by("starts_at")


def agenda(meeting: Meeting, user=None):
    """The cases on a meeting, in slot order; an expert never sees a case they have a conflict
    of interest with (nor that there is one)."""
    qs = Case.objects.filter(meeting=meeting).select_related("organization").order_by("slot")
    if user is not None and not permissions.is_coordinator(user):
        qs = qs.exclude(permissions.conflicted_rule(user))
    return qs


def conflicts_visible_to(user):
    return permissions.visible_conflicts(user)


def blind_review_default(organization) -> bool:
    """The municipality's default for the blind-review choice of a new case."""
    from .models import BlindReviewDefault

    if organization is None:
        return False
    return bool(
        BlindReviewDefault.objects.filter(organization=organization).values_list("blind", flat=True).first()
    )


def municipalities():
    from portal.accounts.models import Organization

    return Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY, is_active=True).order_by(
        "code", "name"
    )


def panel_experts():
    return (
        User.objects.filter(is_active=True, expert__is_active=True)
        .exclude(expert__panel_discipline="")
        .select_related("expert")
        .order_by("expert__panel_discipline", "display_name")
    )


def all_experts():
    return (
        User.objects.filter(is_active=True, expert__is_active=True)
        .select_related("expert")
        .order_by("display_name")
    )


READ_ACTION_LABELS = {
    "case.view": _("Opened the case"),
    "case.edit_view": _("Opened the case form"),
    "case.attachment": _("Downloaded an attachment"),
    "advice.view": _("Opened the advice record"),
    "case.advice_pdf": _("Downloaded the advice PDF"),
}


def readers_of(case: Case) -> list:
    """Who read this case or its attachments (the audit trail), for coordinators: each row with a
    Japanese label of what was read and the reader's own organisations (not the case's)."""
    from django.db.models import Prefetch

    from portal.accounts.models import Membership

    events = list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id=str(case.pk),
            action__in=READ_ACTIONS,
        )
        .select_related("actor", "actor__expert")
        .prefetch_related(
            Prefetch(
                "actor__memberships",
                queryset=Membership.objects.filter(is_active=True).select_related("organization"),
                to_attr="active_memberships",
            )
        )
        .order_by("-created_at")[:100]
    )
    for event in events:
        event.label = READ_ACTION_LABELS.get(event.action, _("Read"))  # type: ignore[attr-defined]  # shown on the case page only
        orgs = [m.organization.name for m in getattr(event.actor, "active_memberships", [])]
        if event.actor is not None and hasattr(event.actor, "expert"):
            orgs.append(str(_("Expert panel")))
        event.reader_organizations = "、".join(orgs)  # type: ignore[attr-defined]  # as above
    return events


def current_version(case: Case) -> int:
    """The saved version, for a form that has to be saved again after a refused save."""
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def advice_of(case: Case, *, issued: bool = False):
    from .models import AdviceRecord

    qs = AdviceRecord.objects.filter(case=case)
    return (qs.filter(issued_at__isnull=False) if issued else qs).first()


DISCIPLINE_LABELS = {"medical": "医療", "psychology": "心理", "legal": "法律", "welfare": "福祉"}
ROUTE_LABELS = {
    "meeting": "ケース検討会議",
    "adhoc": "随時のコンサルテーション",
    "declined": "対象外",
    "undecided": "未決定",
}


def statistics_rows(fiscal_year: int) -> dict[str, list[list]]:
    """The year's cases (drafts aside) counted by municipality, discipline, route and status, each
    counted by the database (four grouped queries, whatever the number of cases)."""
    from collections import Counter

    cases = Case.objects.filter(fiscal_year=fiscal_year).exclude(status=Case.Status.DRAFT).order_by()

    def counts(field):
        return cases.values_list(field).annotate(n=Count("pk")).order_by()

    by_org: Counter[str] = Counter()
    for name, n in counts("organization__name"):
        by_org[name] += n
    by_discipline: Counter[str] = Counter()
    for disciplines, n in counts("disciplines"):  # grouped by the list: a handful of combinations
        for d in disciplines or ():
            by_discipline[d] += n
    by_route: Counter[str] = Counter()
    for route, n in counts("route"):
        by_route[route or "undecided"] += n
    status_labels = dict(Case.Status.choices)
    by_outcome: Counter[str] = Counter()
    for status, n in counts("status"):
        by_outcome[str(status_labels.get(status, status))] += n
    return {
        "区市町村別": [[k, v] for k, v in sorted(by_org.items())],
        "分野別": [[DISCIPLINE_LABELS.get(k, k), v] for k, v in sorted(by_discipline.items())],
        "対応方法別": [[ROUTE_LABELS.get(k, k), v] for k, v in sorted(by_route.items())],
        "状況別": [[k, v] for k, v in sorted(by_outcome.items())],
    }


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------

MAILING_GROUPS = ("panel", "presenters", "all")


def meeting_for_mailing(user, pk) -> Meeting:
    """The case-review meeting a coordinator writes about (404 / 403 as its other pages)."""
    return permissions.get_meeting_for_coordinator(user, pk)


def recipients_for_case_meeting(meeting: Meeting, group: str) -> list:
    """Who a coordinator's message about ``meeting`` reaches: querysets of rows ``user_id`` /
    ``organization_id``. ``panel`` = the experts on its panel (no organisation); ``presenters`` =
    the staff who wrote the cases on its agenda, for their municipality; ``all`` = both."""
    from django.db.models import F, IntegerField, Value

    panel = (
        meeting.panel.through.objects.filter(meeting_id=meeting.pk)
        .values("user_id")
        .annotate(organization_id=Value(None, output_field=IntegerField()))
    )
    presenters = meeting.cases.values("organization_id", user_id=F("created_by_id"))
    parts: dict[str, list] = {"panel": [panel], "presenters": [presenters]}
    if group == "all":
        return parts["panel"] + parts["presenters"]
    if group not in parts:
        raise ValueError(f"unknown group: {group!r}")
    return parts[group]
