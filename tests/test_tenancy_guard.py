"""The tenancy guard: reads of organisation-owned rows go through each app's permissions.py.

Tenant data is every model with a foreign-key path to an organisation: ``Case`` (its
``organization``) and its children (``AdviceRecord`` → case, ``AdviceRevision`` → advice → case,
``CaseAttachment``, ``PanelNote``, ``HomeVisit``, ``ConsultationRecord`` …), found by following
foreign keys, so a new child model is tenant data the day it is written. Every module under
``portal/`` is read (views, selectors, services, forms, exports, feeds, tasks, dashboards, a new app's
new files) except where the rules themselves live: ``permissions.py`` (the visibility querysets),
``models.py``, migrations, and the demo, scale and reference-data loaders.

A read is ``<TenantModel>.objects`` / ``._default_manager`` / ``._base_manager`` (also through an
import alias or ``X = Model``), ``apps.get_model("…", "<TenantModel>")``, or a related manager of an
organisation (``organization.memberships.all()``). Creating rows is not a read, nor is locking
again the row of an object already in hand (``select_for_update()…get(pk=obj.pk)``).

Views, selectors and the rest reach tenant data through the visibility querysets
(``visible_cases(user)`` …), so list and detail cannot disagree and a forgotten organisation filter
cannot leak. A read that is meant to cross organisations, or that is already narrowed to what the
caller was allowed to fetch, is named in ``ALLOWED`` with the model it reads and the reason, as
django-scopes' ``scopes_disabled()`` would be. Why a test and not django-scopes: CONTRIBUTING.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

PORTAL = Path(__file__).resolve().parents[1] / "portal"
EXEMPT_FILES = ("models.py", "permissions.py", "apps.py", "urls.py", "demo.py", "scale.py")
EXEMPT_FOLDERS = ("migrations", "reference", "settings", "devtools")  # devtools: development only
MANAGERS = {"objects", "_default_manager", "_base_manager"}
NOT_READS = {"create", "bulk_create"}
QUERYSET_METHODS = {
    "aggregate", "alias", "all", "annotate", "count", "defer", "delete", "distinct", "earliest",
    "exclude", "exists", "filter", "first", "get", "get_or_create", "in_bulk", "iterator", "last",
    "latest", "none", "only", "order_by", "prefetch_related", "select_for_update", "select_related",
    "update", "update_or_create", "values", "values_list",
}  # fmt: skip

COORDINATORS = "coordinators only (the caller checks the role): every organisation by design"
OWN_ROWS = "narrowed to the signed-in person's own rows (user=…) or their active memberships"
OWN_ORGANIZATION = "narrowed to the organisation the person acts for (checked by the caller)"
WAITING_AHEAD = (
    "a count of the waiting list ahead of a registration the caller fetched through its visibility "
    "queryset; no other registration is shown"
)
GIVEN_OBJECT = "narrowed to an object the caller already fetched through its visibility queryset"
PUBLIC = "only what is published to everyone"
SYSTEM = "the portal's own bookkeeping, not shown to another organisation"
SCHEDULED = (
    "a scheduled job of the portal (reminders, retention purge): every organisation's rows, each "
    "handled for its own organisation and shown to no one else"
)
RULE = (
    "a rule checked across rows the caller does not see (a duplicate, a limit, a next number): "
    "the answer is yes, no or a number, no row is shown"
)
WRITE = "creates or updates the row of the organisation or object given (get_or_create / update_or_create)"
TOKEN = "found by the secret token the invitee holds: the token is the permission"
MEETING_CASES = (
    "the cases on a case-review meeting the coordinator runs; each letter goes to the case's own organisation"
)
SUBQUERY = "a subquery or prefetch under rows already read through a visibility queryset"


def each(*models: str, why: str) -> dict[str, str]:
    """The same reason for several models read by one function."""
    return dict.fromkeys(models, why)


# "app/module.py:function" → {model read there: why it may}. A method is "Class.method", a nested
# function "outer.inner", a statement outside any function the names it assigns.
ALLOWED: dict[str, dict[str, str]] = {
    "accounts/selectors.py:active_members": {"Membership": "recipients of notifications to one organisation"},
    "accounts/selectors.py:active_membership_exists": {
        "Membership": "a condition on rows the coordinator's mailing "
        "already chose: the person still acts for that organisation"
    },
    "accounts/selectors.py:coordinators": {
        "Membership": "the secretariat's members (recipients of notifications)"
    },
    "accounts/selectors.py:expert_invitations": {"Invitation": COORDINATORS},
    "accounts/selectors.py:invitations_of": {"Invitation": GIVEN_OBJECT},
    "accounts/selectors.py:members_of": {"Membership": GIVEN_OBJECT},
    "accounts/selectors.py:organization_rows": {
        "Membership": COORDINATORS
        + " (the organisation list's member and administrator counts, numbers only)"
    },
    "accounts/selectors.py:organizations_without_admin": {
        "Membership": COORDINATORS + " (their dashboard's check)"
    },
    "accounts/selectors.py:staff_rows": {
        "Membership": COORDINATORS + " (recipients of a coordinator's mailing)"
    },
    "accounts/services.py:_ensure_another_admin": {"Membership": RULE},
    "accounts/services.py:invitation_accept": {"Invitation": GIVEN_OBJECT},
    "accounts/services.py:invitation_by_token": {"Invitation": TOKEN},
    "accounts/services.py:invitation_create": each("Invitation", "Membership", why=RULE),
    "accounts/services.py:membership_add": {"Membership": WRITE},
    "casereviews/selectors.py:advice_of": {"AdviceRecord": GIVEN_OBJECT},
    "casereviews/selectors.py:agenda": {
        "Case": GIVEN_OBJECT + " (the meeting; panel members see its agenda)"
    },
    "casereviews/selectors.py:blind_review_default": {
        "BlindReviewDefault": "the setting of the organisation given by the caller"
    },
    "casereviews/selectors.py:case_list_page_rows": {
        "Case": "the keys of one page, just read through the visibility queryset (core.paging.deferred_page)"
    },
    "casereviews/selectors.py:current_version": {"Case": GIVEN_OBJECT},
    "casereviews/selectors.py:readers_of": each("AuditEvent", "Membership", why=COORDINATORS),
    "casereviews/selectors.py:statistics_rows": {
        "Case": COORDINATORS + " (counts per municipality, no case)"
    },
    "casereviews/services/meetings.py:_send_meeting_update": {"Case": MEETING_CASES},
    "casereviews/services/advice.py:advice_issue": {"AdviceRecord": GIVEN_OBJECT},
    "casereviews/services/advice.py:advice_save": {"AdviceRecord": GIVEN_OBJECT},
    "casereviews/services/grants.py:blind_review_default_set": {"BlindReviewDefault": WRITE},
    "casereviews/services/submission.py:case_create": {
        "Case": RULE + " (the next reference number of the fiscal year)"
    },
    "casereviews/services/triage.py:case_schedule": {"Case": MEETING_CASES},
    "casereviews/services/grants.py:conflict_declare": {
        "Case": "an expert's declaration covers the cases of the organisation they name: "
        "the cases are marked, not shown"
    },
    "casereviews/services/meetings.py:meeting_update": {"Case": MEETING_CASES},
    "casereviews/services/retention.py:purge_candidates": {"Case": SCHEDULED},
    "casereviews/services/retention.py:purge_case": each(
        "AdviceRecord", "AdviceRevision", "ConflictOfInterest", why=SCHEDULED
    ),
    "casereviews/services/meetings.py:send_meeting_reminders": {"Case": MEETING_CASES},
    "casereviews/services/followup.py:send_report_reminders": {"Case": SCHEDULED},
    "core/audit.py:history_for": {"AuditEvent": GIVEN_OBJECT},
    "core/selectors.py:audit_events": {"AuditEvent": COORDINATORS},
    "directory/selectors.py:_fairs": {
        "ExhibitorApplication": PUBLIC + " (approved exhibitors of public fairs)"
    },
    "directory/selectors.py:entry_of": {"PartnerEntry": "the entry of the organisation the partner acts for"},
    "directory/services.py:entry_propose": {"PartnerEntry": OWN_ORGANIZATION},
    "directory/services.py:entry_publish_initial": {"PartnerEntry": WRITE},
    "guidebook/selectors.py:download_counts": {"Download": COORDINATORS + " (counts per organisation kind)"},
    "mailings/services.py:mailing_run": {
        "MailingRecipient": COORDINATORS + " (recipients of a coordinator's mailing)"
    },
    "mailings/services.py:send_batch": {
        "MailingRecipient": COORDINATORS + " (recipients of a coordinator's mailing)"
    },
    "meetings/dashboard.py:event_events": {"Registration": OWN_ROWS},
    "meetings/selectors.py:event_page": {"Registration": OWN_ROWS},
    "meetings/selectors.py:events_for": {
        "Registration": "a count of confirmed seats per meeting, no registration shown"
    },
    "meetings/selectors.py:waiting_position": {"Registration": WAITING_AHEAD},
    "meetings/services.py:exhibitor_apply": {"ExhibitorApplication": RULE},
    "meetings/services.py:propose": {"Registration": OWN_ROWS},
    "meetings/services.py:register": {"Registration": RULE},
    "meetings/services.py:survey_submit": {"SurveyResponse": WRITE},
    "municipalities/dashboard.py:exchange_events": {"ExchangeSession": OWN_ROWS},
    "municipalities/selectors.py:open_programmes_for": {
        "Participation": "the participation of the municipality itself"
    },
    "municipalities/selectors.py:previous_year_sheet": {
        "HearingSheet": GIVEN_OBJECT + " (same organisation)"
    },
    "municipalities/selectors.py:programmes_for_list": each(
        "HearingSheet", "Participation", why=COORDINATORS + " (counts of each year's programme)"
    ),
    "municipalities/selectors.py:progress_board": each(
        "ExchangeSession", "FollowUpAction", "HearingSheet", "Participation", why=COORDINATORS
    ),
    "municipalities/selectors.py:sheets_with_answers": {"HearingSheetRevision": SUBQUERY},
    "municipalities/services.py:_sheet_for": {"HearingSheet": WRITE},
    "municipalities/services.py:participation_add": {"Participation": COORDINATORS},
    "municipalities/services.py:participation_apply": {"Participation": WRITE},
    "municipalities/services.py:remind_overdue_actions": {"FollowUpAction": SCHEDULED},
    "municipalities/services.py:send_deadline_reminders": {"HearingSheet": SCHEDULED},
    "outreach/selectors.py:days_with_counts": {"OutreachDay": SUBQUERY},
    "outreach/selectors.py:free_slots": {
        "OutreachSlot": "taken or free only; booking details through visible_bookings"
    },
    "outreach/selectors.py:public_hosts": each("OutreachDay", "OutreachHost", why=PUBLIC),
    "outreach/selectors.py:slots_of": each(
        "OutreachSlot", "SlotBooking", why="taken or free only; booking details through visible_bookings"
    ),
    "outreach/selectors.py:taken_slot_ids": {
        "OutreachSlot": "taken or free only; booking details through visible_bookings"
    },
    "outreach/selectors.py:upcoming_public_days": {"OutreachDay": PUBLIC},
    "outreach/services/touring.py:host_add": {"OutreachHost": RULE},
    "outreach/services/touring.py:host_report": {"SlotBooking": GIVEN_OBJECT},
    "outreach/services/home_visits.py:purge_candidates": {"VisitReferral": SCHEDULED},
    "outreach/services/home_visits.py:referral_statistics": each(
        "HomeVisit", "VisitReferral", why=COORDINATORS + " (counts per municipality, no referral shown)"
    ),
    "outreach/services/touring.py:send_reminders": {"OutreachDay": SCHEDULED},
    "outreach/services/touring.py:summary_rows": each(
        "OutreachDay",
        "OutreachHost",
        "OutreachSlot",
        "SlotBooking",
        why=COORDINATORS + " (the year's summary)",
    ),
    "partners/dashboard.py:consultation_events": {"Consultation": OWN_ROWS},
    "partners/selectors.py:utilisation_rows": {
        "Consultation": COORDINATORS + " (counts per field, expert, organisation)"
    },
    "partners/services.py:_refuse_a_second_request": {"Consultation": RULE + " (the hold the caller holds)"},
    "partners/services.py:feedback_give": {"Feedback": WRITE},
    "partners/services.py:quota_limit": {"QuotaException": RULE + " (the organisation's own quota)"},
    "partners/services.py:quota_used": {"Consultation": RULE + " (the organisation's own quota)"},
    "partners/services.py:record_write": {"ConsultationRecord": WRITE},
    "partners/services.py:send_reminders": {"Consultation": SCHEDULED},
    "subsidies/selectors.py:application_with_lines": each("Application", "ExpenseLine", why=GIVEN_OBJECT),
    "subsidies/selectors.py:call_summary": {
        "ExpenseLine": COORDINATORS + " (sums of a call's expense lines)"
    },
    "subsidies/selectors.py:years_by_organization": {
        "Application": "granted years, for the two-year limit rule"
    },
    "subsidies/services.py:_check_year_limit": {"Application": RULE + " (the two-year limit)"},
    "subsidies/services.py:_lock": {"Application": GIVEN_OBJECT},
    "subsidies/services.py:application_decide": {"Application": COORDINATORS},
    "subsidies/services.py:application_start": {"Application": RULE},
    "subsidies/services.py:budget_granted": {"Application": RULE + " (the budget left)"},
    "subsidies/services.py:call_open": {"Membership": "recipients of notifications to the municipalities"},
    "subsidies/services.py:years_used": {"Application": RULE + " (the two-year limit)"},
    "training/dashboard.py:training_events": {"Registration": OWN_ROWS},
    "training/selectors.py:certificates_waiting": {"Completion": COORDINATORS},
    "training/selectors.py:colleagues_to_register": {
        "Registration": "colleagues of the admin's own organisation"
    },
    "training/selectors.py:course_page": {"Completion": OWN_ROWS},
    "training/selectors.py:my_upcoming": {"Registration": OWN_ROWS},
    "training/selectors.py:next_sessions": {
        "Registration": COORDINATORS + " (seat counts of the next sessions)"
    },
    "training/selectors.py:pending_completions": {"Completion": COORDINATORS + " (certificates to issue)"},
    "training/selectors.py:session_page": {"Registration": OWN_ROWS + " (admins: their organisation's)"},
    "training/selectors.py:waiting_position": {"Registration": WAITING_AHEAD},
    "training/selectors.py:year_export": each("Completion", "Registration", why=COORDINATORS),
    "training/services.py:_complete": {"Completion": WRITE},
    "training/services.py:_issue": {"Certificate": GIVEN_OBJECT},
    "training/services.py:certificate_batch_run": {
        "Certificate": GIVEN_OBJECT + " (the batch's certificates)"
    },
    "training/services.py:mark_attendance": each(
        "Certificate", "Completion", "Registration", why=COORDINATORS
    ),
    "training/services.py:quiz_submit": {"Completion": OWN_ROWS},
    "training/services.py:register": {"Registration": RULE},
    "training/services.py:render_certificate": {"Registration": GIVEN_OBJECT},
    "windows/services.py:directory_confirm": {"DirectoryConfirmation": WRITE},
    "windows/services.py:directory_remind": {"DirectoryConfirmation": COORDINATORS},
    # Dashboards' panels, purges and other reads added with the panels and the residents' services.
    "accounts/dashboard.py:coordinator_panel": {
        "Invitation": COORDINATORS + " (counts of the coordinator panel)"
    },
    "accounts/dashboard.py:organization_panel": {
        "Invitation": "invitations of the organisation the admin acts for"
    },
    "accounts/selectors.py:counsellors": {
        "Membership": "the secretariat's members who answer mail consultations"
    },
    "casereviews/dashboard.py:coordinator_cases_panel": {
        "Case": COORDINATORS + " (counts of the coordinator panel)"
    },
    "casereviews/services/retention.py:_case_objects": each(
        "AdviceRecord", "ConflictOfInterest", why=GIVEN_OBJECT + " (the case being purged)"
    ),
    "casereviews/services/retention.py:_case_texts": each(
        "AdviceRecord", "AdviceRevision", "ConflictOfInterest", why=GIVEN_OBJECT + " (the case being purged)"
    ),
    "casereviews/services/grants.py:conflict_confirm": {
        "Case": COORDINATORS + " (the case named by the declaration the coordinator confirms)"
    },
    "casereviews/services/drafts.py:draft_purge_candidates": {"Case": SCHEDULED},
    "consultations/services.py:record_purge_candidates": {"Record": SCHEDULED},
    "consultations/services.py:reply_send": {"Record": GIVEN_OBJECT + " (the record of the thread answered)"},
    "consultations/services.py:resident_purge": {
        "Record": GIVEN_OBJECT + " (the leaving resident's own records)"
    },
    "consultations/services.py:resident_write": {
        "Record": GIVEN_OBJECT + " (the record of the resident's thread)"
    },
    "core/purge.py:clear_copies": {"AuditEvent": SYSTEM + " (the audit labels of the record being purged)"},
    "mailings/services.py:_written": {
        "MailingRecipient": GIVEN_OBJECT + " (the recipients of the run being sent)"
    },
    "mailings/services.py:restart_stale": {"MailingRecipient": SCHEDULED},
    "municipalities/dashboard.py:coordinator_programme_panel": each(
        "ExchangeSession",
        "FollowUpAction",
        "HearingSheet",
        "Participation",
        why=COORDINATORS + " (counts and next exchanges of the coordinator panel)",
    ),
    "outreach/services/touring.py:booking_purge_candidates": {"SlotBooking": SCHEDULED},
    "subsidies/dashboard.py:subsidy_panel": {
        "Application": "coordinators' counts, or the applications of the municipality the person acts for"
    },
}


def tenant_model_classes() -> set[type]:
    """Every portal model with a foreign-key path to an organisation (not the organisation itself)."""
    organization = apps.get_model("accounts", "Organization")
    ours = [m for m in apps.get_models() if m.__module__.startswith("portal.")]
    found: set[type] = set()
    grew = True
    while grew:
        grew = False
        for model in ours:
            if model in found or model is organization:
                continue
            if any(
                f.is_relation
                and (f.many_to_one or f.one_to_one)
                and f.related_model in {organization, *found}
                for f in model._meta.fields
            ):
                found.add(model)
                grew = True
    return found


def tenant_models() -> set[str]:
    return {model.__name__ for model in tenant_model_classes()}


def organization_accessors() -> dict[str, str]:
    """Related managers of an organisation that lead to tenant data: accessor → model name."""
    tenant = tenant_model_classes()
    organization = apps.get_model("accounts", "Organization")
    return {
        rel.get_accessor_name(): rel.related_model.__name__
        for rel in organization._meta.related_objects
        if rel.related_model in tenant
    }


def guarded_files():
    for path in sorted(PORTAL.rglob("*.py")):
        relative = path.relative_to(PORTAL)
        if len(relative.parts) < 2 or relative.name in EXEMPT_FILES:
            continue
        if any(part in EXEMPT_FOLDERS for part in relative.parts[:-1]):
            continue
        yield path


class _Reads:
    """The reads of tenant data in one module's syntax tree."""

    def __init__(self, tree: ast.Module, tenant: set[str], accessors: dict[str, str]):
        self.tenant, self.accessors = tenant, accessors
        self.parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        self.aliases = {name: name for name in tenant}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                self.aliases.update({a.asname or a.name: a.name for a in node.names if a.name in tenant})
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                model = self.aliases.get(node.value.id)
                if model:
                    self.aliases.update({t.id: model for t in node.targets if isinstance(t, ast.Name)})
        self.tree = tree

    def where(self, node) -> str:
        names, statement, parent = [], node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.append(parent.name)
            if not isinstance(parent, ast.Module):
                statement = parent
            parent = self.parents.get(parent)
        if names:
            return ".".join(reversed(names))
        targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
        assigned = [n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)]
        return ",".join(assigned) or "<module>"

    def chain(self, node) -> list[tuple[str, ast.Call | None]]:
        """The attributes taken along the chain above ``node``, each with its call (or None)."""
        out: list[tuple[str, ast.Call | None]] = []
        current = node
        while True:
            parent = self.parents.get(current)
            if isinstance(parent, ast.Attribute) and parent.value is current:
                out.append((parent.attr, None))
            elif isinstance(parent, ast.Call) and parent.func is current and out:
                out[-1] = (out[-1][0], parent)
            else:
                return out
            current = parent

    @staticmethod
    def relocks_given_object(chain) -> bool:
        """``select_for_update()…get(pk=obj.pk)``: the row of an object in hand, locked again."""
        names = [name for name, _call in chain]
        if "select_for_update" not in names:
            return False
        for name, call in chain:
            if name in ("get", "filter") and call is not None and not call.args and len(call.keywords) == 1:
                keyword = call.keywords[0]
                if keyword.arg in ("pk", "id") and isinstance(keyword.value, ast.Attribute):
                    return True
        return False

    def model_of(self, value) -> str | None:
        if isinstance(value, ast.Name):
            return self.aliases.get(value.id)
        if isinstance(value, ast.Attribute) and value.attr in self.tenant:
            return value.attr
        return None

    def __iter__(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
                model = self.model_of(node.value)
                if model is None:
                    continue
                chain = self.chain(node)
                if (chain and chain[0][0] in NOT_READS) or self.relocks_given_object(chain):
                    continue
                yield self.where(node), model
            elif isinstance(node, ast.Attribute) and node.attr in self.accessors:
                chain = self.chain(node)
                if chain and chain[0][0] in QUERYSET_METHODS:
                    yield self.where(node), self.accessors[node.attr]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get_model":
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in self.tenant:
                        yield self.where(node), arg.value


def direct_reads(tenant: set[str]) -> dict[str, set[str]]:
    """``app/module.py:function`` → the tenant models it reads outside the visibility querysets."""
    accessors = organization_accessors()
    found: dict[str, set[str]] = {}
    for path in guarded_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for where, model in _Reads(tree, tenant, accessors):
            found.setdefault(f"{path.relative_to(PORTAL)}:{where}", set()).add(model)
    return found


def visibility_querysets() -> dict[str, list[str]]:
    """model → the ``visible_…`` functions of the permissions modules that read it."""
    found: dict[str, list[str]] = {}
    tenant = tenant_models()
    for path in sorted(PORTAL.glob("*/permissions.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in tree.body:
            if isinstance(function, ast.FunctionDef) and function.name.startswith("visible"):
                for node in ast.walk(function):
                    if isinstance(node, ast.Name) and node.id in tenant:
                        where = f"portal/{path.relative_to(PORTAL).parent}/permissions.py:{function.name}"
                        found.setdefault(node.id, []).append(where)
    return found


def _parents(model: str) -> list[str]:
    """The tenant models (or the organisation) a model's foreign keys lead to."""
    tenant = tenant_model_classes()
    return sorted(
        {
            f"{m.__name__}.{f.name}"
            for m in tenant
            if m.__name__ == model
            for f in m._meta.fields
            if f.is_relation and (f.many_to_one or f.one_to_one) and (f.related_model in tenant)
        }
    )


def _advice(where: str, models: list[str]) -> str:
    querysets = visibility_querysets()
    apps_of = {m.__name__: m._meta.app_label for m in tenant_model_classes()}
    lines = [f"  portal/{where} reads {', '.join(models)} outside a visibility queryset:"]
    for model in models:
        known = sorted(set(querysets.get(model, [])))
        parents = _parents(model)
        if known:
            lines.append(f"    read {model} through {' or '.join(known)} (it takes the user);")
        elif parents:
            lines.append(
                f"    {model} is a child ({', '.join(parents)}): read it through its parent's visibility "
                f"queryset (filter(<parent>__in=visible_…(user)), or the related manager of a parent "
                "fetched through it);"
            )
        else:
            lines.append(
                f"    {model} has no visibility queryset yet: add visible_…(user) for it to "
                f"portal/{apps_of.get(model, '<app>')}/permissions.py (the user's memberships; "
                "coordinators all) and read through it;"
            )
    pinned = ", ".join(f'"{m}": <why>' for m in models)
    lines.append(
        f'    or, if this read may cross organisations, add "{where}": {{{pinned}}} to ALLOWED in '
        "tests/test_tenancy_guard.py, <why> being a reason there (COORDINATORS, GIVEN_OBJECT, "
        "OWN_ROWS, RULE, SCHEDULED, WRITE …) or your own words."
    )
    return "\n".join(lines)


def test_tenant_models_are_found_with_their_children():
    tenant = tenant_models()
    assert {"Case", "HearingSheet", "Consultation", "Registration", "Application"} <= tenant
    children = {
        "AdviceRecord",
        "AdviceRevision",
        "CaseAttachment",
        "PanelNote",
        "HomeVisit",
        "ConsultationRecord",
    }
    assert children <= tenant


def test_reads_of_tenant_data_go_through_the_visibility_querysets():
    reads = direct_reads(tenant_models())

    unexplained = {
        where: sorted(models - set(ALLOWED.get(where, {})))
        for where, models in reads.items()
        if models - set(ALLOWED.get(where, {}))
    }
    assert unexplained == {}, "Tenant data read outside the visibility querysets:\n" + "\n".join(
        _advice(where, models) for where, models in sorted(unexplained.items())
    )


def test_every_allowed_read_still_exists():
    reads = direct_reads(tenant_models())

    stale = sorted(
        f"{where}: {model}"
        for where, models in ALLOWED.items()
        for model in models
        if model not in reads.get(where, set())
    )
    assert stale == [], (
        "remove these allowances from ALLOWED: the reads are gone (or moved: name the new place)"
    )


def test_every_allowance_says_why():
    assert [where for where, models in ALLOWED.items() if not models or not all(models.values())] == []


def _guard_sees(tmp_path, monkeypatch, files: dict[str, str]) -> dict[str, set[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PORTAL"]), "PORTAL", tmp_path)
    return direct_reads(tenant_models())


def test_the_guard_catches_a_view_that_queries_a_case_directly(tmp_path, monkeypatch):
    found = _guard_sees(
        tmp_path,
        monkeypatch,
        {
            "someapp/views.py": "from portal.casereviews.models import Case\n\n"
            "def case_list(request):\n    return Case.objects.all()\n"
        },
    )

    assert found == {"someapp/views.py:case_list": {"Case"}}


def test_the_guard_catches_child_models_managers_aliases_and_related_managers(tmp_path, monkeypatch):
    found = _guard_sees(
        tmp_path,
        monkeypatch,
        {
            "residents/services.py": "from portal.casereviews.models import AdviceRecord as A, PanelNote\n"
            "from portal.outreach import models\n\n"
            "Note = PanelNote\n\n"
            "def advice():\n    return A._default_manager.all()\n\n"
            "def notes():\n    return Note.objects.filter(pk__gt=0)\n\n"
            "def visits():\n    return models.HomeVisit._base_manager.all()\n\n"
            "def members(org):\n    return org.memberships.all()\n\n"
            "class Form:\n    def clean(self):\n"
            "        return apps.get_model('partners', 'ConsultationRecord')\n",
            "consultations/exports.py": "from portal.casereviews.models import CaseAttachment\n\n"
            "ROWS = CaseAttachment.objects.all()\n",
        },
    )

    assert found == {
        "residents/services.py:advice": {"AdviceRecord"},
        "residents/services.py:notes": {"PanelNote"},
        "residents/services.py:visits": {"HomeVisit"},
        "residents/services.py:members": {"Membership"},
        "residents/services.py:Form.clean": {"ConsultationRecord"},
        "consultations/exports.py:ROWS": {"CaseAttachment"},
    }


def test_the_guard_leaves_creation_and_relocking_an_object_in_hand(tmp_path, monkeypatch):
    found = _guard_sees(
        tmp_path,
        monkeypatch,
        {
            "someapp/services.py": "from portal.casereviews.models import Case\n\n"
            "def make(**f):\n    return Case.objects.create(**f)\n\n"
            "def lock(case):\n    return Case.objects.select_for_update().get(pk=case.pk)\n\n"
            "def lock_any(pk):\n    return Case.objects.select_for_update().get(pk=pk)\n"
        },
    )

    assert found == {"someapp/services.py:lock_any": {"Case"}}


def test_an_allowance_is_pinned_to_its_model(tmp_path, monkeypatch):
    found = _guard_sees(
        tmp_path,
        monkeypatch,
        {
            "training/selectors.py": "from .models import Registration, Certificate\n\n"
            "def waiting_position(r):\n    Certificate.objects.all()\n"
            "    return Registration.objects.filter(pk__lt=r.pk).count()\n"
        },
    )

    allowed = set(ALLOWED["training/selectors.py:waiting_position"])
    assert found["training/selectors.py:waiting_position"] - allowed == {"Certificate"}


def test_the_failure_message_says_what_to_do():
    advice = _advice("residents/views.py:thread_list", ["Case"])

    assert "portal/casereviews/permissions.py:visible_cases" in advice
    assert '"residents/views.py:thread_list": {"Case": <why>}' in advice
    assert "HomeVisit.referral" in _advice("residents/views.py:visits", ["HomeVisit"])
