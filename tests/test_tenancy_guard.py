"""The tenancy guard: reads of organisation-owned rows go through each app's permissions.py.

Every model with an ``organization`` foreign key is tenant data. Views, selectors, dashboard panels
and tasks reach it through the visibility querysets in their app's ``permissions.py``
(``visible_cases(user)`` …), so list and detail cannot disagree and a forgotten organisation filter
cannot leak. A read that is meant to cross organisations, or that is already narrowed to what the
caller was allowed to fetch, is named below with the reason, as django-scopes' ``scopes_disabled()``
would be; any other ``<TenantModel>.objects`` in those modules fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

PORTAL = Path(__file__).resolve().parents[1] / "portal"
GUARDED_MODULES = ("views", "selectors", "dashboard", "tasks")

COORDINATORS = "coordinators only (the caller checks the role): every organisation by design"
OWN_ROWS = "narrowed to the signed-in person's own rows (user=…) or their active memberships"
WAITING_AHEAD = (
    "a count of the waiting list ahead of a registration the caller fetched through its visibility "
    "queryset; no other registration is shown"
)
GIVEN_OBJECT = "narrowed to an object the caller already fetched through its visibility queryset"
PUBLIC = "only what is published to everyone"
SYSTEM = "the portal's own bookkeeping, not shown to another organisation"

ALLOWED = {
    "accounts/dashboard.py:_COUNTS": COORDINATORS + " (counts of the coordinator panel)",
    "accounts/dashboard.py:_ADMIN_INVITATIONS": "invitations of the organisation the admin acts for",
    "accounts/selectors.py:organizations_without_admin": COORDINATORS + " (their dashboard's check)",
    "accounts/selectors.py:organization_rows": COORDINATORS
    + " (the organisation list's member and administrator counts, numbers only)",
    "accounts/selectors.py:active_members": "recipients of notifications to one organisation",
    "accounts/selectors.py:active_membership_exists": "a condition on rows the coordinator's mailing "
    "already chose: the person still acts for that organisation",
    "accounts/selectors.py:coordinators": "the secretariat's members (recipients of notifications)",
    "accounts/selectors.py:counsellors": "the secretariat's members who answer mail consultations",
    "accounts/selectors.py:expert_invitations": COORDINATORS,
    "accounts/selectors.py:invitations_of": GIVEN_OBJECT,
    "accounts/selectors.py:members_of": GIVEN_OBJECT,
    "accounts/selectors.py:staff_rows": COORDINATORS + " (recipients of a coordinator's mailing)",
    "casereviews/dashboard.py:_COORDINATOR_COUNTS": COORDINATORS + " (counts of the coordinator panel)",
    "casereviews/selectors.py:blind_review_default": "the setting of the organisation given by the caller",
    "casereviews/selectors.py:agenda": GIVEN_OBJECT + " (the meeting; panel members see its agenda)",
    "casereviews/selectors.py:current_version": GIVEN_OBJECT,
    "casereviews/selectors.py:readers_of": COORDINATORS,
    "casereviews/selectors.py:case_list_page_rows": "the keys of one page, just read through the"
    " visibility queryset (core.paging.deferred_page)",
    "casereviews/selectors.py:statistics_rows": COORDINATORS + " (counts per municipality, no case)",
    "core/selectors.py:audit_events": COORDINATORS,
    "directory/selectors.py:_fairs": PUBLIC + " (approved exhibitors of public fairs)",
    "directory/selectors.py:entry_of": "the entry of the organisation the partner acts for",
    "municipalities/selectors.py:programmes_for_list": COORDINATORS + " (counts of each year's programme)",
    "guidebook/selectors.py:download_counts": COORDINATORS + " (counts per organisation kind)",
    "meetings/dashboard.py:event_events": OWN_ROWS,
    "meetings/selectors.py:events_for": "a count of confirmed seats per meeting, no registration shown",
    "meetings/selectors.py:event_page": OWN_ROWS,
    "meetings/selectors.py:waiting_position": WAITING_AHEAD,
    "municipalities/dashboard.py:_COORDINATOR_COUNTS": COORDINATORS + " (counts of the coordinator panel)",
    "municipalities/dashboard.py:_UPCOMING": COORDINATORS + " (the coordinator panel's next exchanges)",
    "subsidies/dashboard.py:_COORDINATOR_COUNTS": COORDINATORS + " (counts of the coordinator panel)",
    "municipalities/dashboard.py:exchange_events": OWN_ROWS,
    "municipalities/selectors.py:open_programmes_for": "the participation of the municipality itself",
    "municipalities/selectors.py:previous_year_sheet": GIVEN_OBJECT + " (same organisation)",
    "municipalities/selectors.py:progress_board": COORDINATORS,
    "outreach/selectors.py:public_hosts": PUBLIC,
    "outreach/selectors.py:slots_of": "taken or free only; booking details through visible_bookings",
    "partners/dashboard.py:consultation_events": OWN_ROWS,
    "partners/selectors.py:utilisation_rows": COORDINATORS + " (counts per field, expert, organisation)",
    "subsidies/dashboard.py:_OWN_APPLICATIONS": "the applications of the municipality the person acts for",
    "subsidies/selectors.py:application_with_lines": GIVEN_OBJECT,
    "subsidies/selectors.py:years_by_organization": "granted years, for the two-year limit rule",
    "training/dashboard.py:training_events": OWN_ROWS,
    "training/selectors.py:certificates_waiting": COORDINATORS,
    "training/selectors.py:colleagues_to_register": "colleagues of the admin's own organisation",
    "training/selectors.py:course_page": OWN_ROWS,
    "training/selectors.py:my_upcoming": OWN_ROWS,
    "training/selectors.py:next_sessions": COORDINATORS + " (seat counts of the next sessions)",
    "training/selectors.py:pending_completions": COORDINATORS + " (certificates to issue)",
    "training/selectors.py:session_page": OWN_ROWS + " (admins: their organisation's)",
    "training/selectors.py:waiting_position": WAITING_AHEAD,
    "training/selectors.py:year_export": COORDINATORS,
}


def tenant_models() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("portal.")
        and any(f.name == "organization" and f.is_relation for f in model._meta.fields)
    }


def direct_reads(tenant: set[str]) -> dict[str, set[str]]:
    """``app/module.py:function`` → the tenant models it queries through ``Model.objects``; a read
    outside any function (a statement compiled once at import, core.prepared) is named by the
    module-level name it is assigned to."""
    found: dict[str, set[str]] = {}

    def scan(path, where: str, tree) -> None:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in tenant
            ):
                found.setdefault(f"{path.relative_to(PORTAL)}:{where}", set()).add(node.value.id)

    for module in GUARDED_MODULES:
        for path in sorted(PORTAL.glob(f"*/{module}.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    scan(path, function.name, function)
            for statement in tree.body:
                if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    continue
                targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
                names = [
                    n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)
                ]
                scan(path, ",".join(names) or "<module>", statement)
    return found


def test_tenant_models_are_found():
    tenant = tenant_models()
    assert {"Case", "HearingSheet", "Consultation", "Registration", "Application"} <= tenant


def test_reads_of_tenant_data_go_through_the_visibility_querysets():
    reads = direct_reads(tenant_models())

    unexplained = {where: sorted(models) for where, models in reads.items() if where not in ALLOWED}
    assert unexplained == {}, (
        "query tenant data through the app's permissions.py visibility queryset, or name the read "
        "in ALLOWED with the reason it may cross organisations"
    )


def test_every_allowed_read_still_exists():
    reads = direct_reads(tenant_models())

    assert sorted(set(ALLOWED) - set(reads)) == [], "remove allowances for reads that are gone"


def test_the_guard_catches_a_view_that_queries_a_case_directly(tmp_path, monkeypatch):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "views.py").write_text(
        "from portal.casereviews.models import Case\n\n"
        "def case_list(request):\n    return Case.objects.all()\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PORTAL"]), "PORTAL", tmp_path)

    assert direct_reads(tenant_models()) == {"someapp/views.py:case_list": {"Case"}}


def test_the_guard_catches_a_statement_compiled_at_import(tmp_path, monkeypatch):
    app = tmp_path / "someapp"
    app.mkdir()
    (app / "dashboard.py").write_text(
        "from portal.casereviews.models import Case\n"
        "from portal.core.prepared import Prepared\n\n"
        "_EVERY_CASE = Prepared(lambda: Case.objects.all())\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["PORTAL"]), "PORTAL", tmp_path)

    assert direct_reads(tenant_models()) == {"someapp/dashboard.py:_EVERY_CASE": {"Case"}}
