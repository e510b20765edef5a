"""Permission matrix of the expert panel's URLs (joined into tests/test_permission_matrix.py)."""

from dataclasses import dataclass

import pytest

from portal.casereviews import services

from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import CLEAN_CASE, png_upload, submitted_case


@dataclass
class CaseWorld:
    coordinator: object
    member_a: object
    admin_a: object
    admin_b: object
    partner_member: object
    expert: object
    other_expert: object
    draft: object
    submitted: object
    accepted: object
    scheduled: object
    reviewed: object
    advised: object
    meeting: object
    attachment: object
    conflict: object = None  # the panel expert's own, with the other organisation
    other_conflict: object = None  # another expert's, recorded by the secretariat


@pytest.fixture
def case_world(
    coordinator,
    org_a,
    org_b,
    member_a,
    admin_a,
    admin_b,
    partner_member,
    panel_expert,
    other_expert,
    meeting,
):
    draft = services.case_create(actor=member_a, organization=org_a, data=CLEAN_CASE, uploads_=[png_upload()])
    sub = submitted_case(org_a, member_a)
    acc = services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a))
    sch = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    rev = services.case_schedule(
        actor=coordinator,
        meeting=meeting,
        case=services.case_accept(actor=coordinator, case=submitted_case(org_a, member_a)),
    )
    rev = services.case_mark_reviewed(actor=coordinator, case=rev)
    services.advice_save(actor=coordinator, case=rev, content={"summary": "助言"}, based_on_version=0)
    adv = services.case_assign_adhoc(
        actor=coordinator, case=submitted_case(org_a, member_a), expert=other_expert
    )
    services.advice_save(actor=coordinator, case=adv, content={"summary": "助言"}, based_on_version=0)
    services.advice_issue(actor=coordinator, case=adv)
    conflict = services.conflict_declare(
        actor=panel_expert, expert=panel_expert, organization=org_b, reason="乙区の審議会委員"
    )
    other_conflict = services.conflict_declare(
        actor=coordinator, expert=other_expert, organization=org_b, reason="乙区の顧問弁護士"
    )
    for u in (coordinator, member_a, panel_expert, other_expert):
        u.__dict__.pop("_portal_perm_cache", None)
        u.refresh_from_db()
    return CaseWorld(
        coordinator=coordinator,
        member_a=member_a,
        admin_a=admin_a,
        admin_b=admin_b,
        partner_member=partner_member,
        expert=panel_expert,
        other_expert=other_expert,
        draft=draft,
        submitted=sub,
        accepted=acc,
        scheduled=sch,
        reviewed=rev,
        advised=adv,
        meeting=meeting,
        attachment=draft.attachments.get(),
        conflict=conflict,
        other_conflict=other_conflict,
    )


def on(state):
    return lambda w: {"pk": getattr(w, state).pk}


COORD_POST = {"right": ("coordinator", 302), "wrong_role": ("member_a", 403), "other_org": ("admin_b", 404)}
# Partners have no case pages at all; they get the answer of a missing case, never 403 (which
# would tell them the case exists).
CASE_READ = {"right": ("member_a", 200), "other_org": ("admin_b", 404), "wrong_role": ("partner_member", 404)}

CASE_MATRIX: dict[str, Rule] = {
    "casereviews:case_list": Rule(
        "GET",
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="the list shows only what one may read",
    ),
    "casereviews:case_create": Rule(
        "GET",
        right=("member_a", 200),
        wrong_role=("partner_member", 403),
        not_applicable="always for one's own organisation",
    ),
    "casereviews:statistics": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("member_a", 403),
        not_applicable="anonymous counts of all organisations, for coordinators",
    ),
    "casereviews:case_detail": Rule("GET", kwargs=on("submitted"), **CASE_READ),
    # A draft is its organisation's alone: the secretariat does not know it exists.
    "casereviews:case_edit": Rule(
        "GET",
        kwargs=on("draft"),
        right=("member_a", 200),
        other_org=("admin_b", 404),
        wrong_role=("coordinator", 404),
    ),
    "casereviews:case_draft_delete": Rule(
        "GET",
        kwargs=on("draft"),
        right=("member_a", 200),
        other_org=("admin_b", 404),
        wrong_role=("coordinator", 404),
    ),
    "casereviews:case_attachment": Rule(
        "GET", kwargs=lambda w: {"pk": w.draft.pk, "attachment_pk": w.attachment.pk}, **CASE_READ
    ),
    "casereviews:case_return": Rule(
        "POST", kwargs=on("submitted"), data=lambda w: {"comment": "追記を"}, **COORD_POST
    ),
    "casereviews:case_accept": Rule("POST", kwargs=on("submitted"), **COORD_POST),
    "casereviews:case_decline": Rule(
        "POST", kwargs=on("submitted"), data=lambda w: {"comment": "対象外"}, **COORD_POST
    ),
    "casereviews:case_adhoc": Rule(
        "POST", kwargs=on("submitted"), data=lambda w: {"expert": w.other_expert.pk}, **COORD_POST
    ),
    "casereviews:case_schedule": Rule(
        "POST", kwargs=on("accepted"), data=lambda w: {"meeting": w.meeting.pk}, **COORD_POST
    ),
    "casereviews:case_unschedule": Rule("POST", kwargs=on("scheduled"), **COORD_POST),
    "casereviews:case_reviewed": Rule("POST", kwargs=on("scheduled"), **COORD_POST),
    "casereviews:case_close": Rule("POST", kwargs=on("advised"), **COORD_POST),
    "casereviews:case_attend": Rule(
        "POST",
        kwargs=on("scheduled"),
        right=("member_a", 302),
        wrong_role=("expert", 403),
        other_org=("admin_b", 404),
    ),
    "casereviews:case_not_attend": Rule(
        "POST",
        kwargs=on("scheduled"),
        right=("member_a", 302),
        wrong_role=("expert", 403),
        other_org=("admin_b", 404),
    ),
    "casereviews:case_note": Rule(
        "POST",
        kwargs=on("scheduled"),
        data=lambda w: {"body": "事前メモ"},
        right=("expert", 302),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
    ),
    "casereviews:case_report": Rule(
        "POST",
        kwargs=on("advised"),
        data=lambda w: {"body": "その後の経過"},
        right=("member_a", 302),
        wrong_role=("coordinator", 403),
        other_org=("admin_b", 404),
    ),
    "casereviews:advice_edit": Rule(
        "GET",
        kwargs=on("scheduled"),
        right=("expert", 200),
        wrong_role=("member_a", 403),
        other_org=("admin_b", 404),
    ),
    "casereviews:advice_issue": Rule("POST", kwargs=on("reviewed"), **COORD_POST),
    "casereviews:advice_pdf": Rule("GET", kwargs=on("advised"), **CASE_READ),
    "casereviews:conflict_list": Rule(
        "GET",
        right=("expert", 200),
        wrong_role=("member_a", 403),
        not_applicable="the list shows only one's own conflicts (coordinators all)",
        rows=(
            ("expert", "乙区の審議会委員", "乙区の顧問弁護士"),
            ("other_expert", "乙区の顧問弁護士", "乙区の審議会委員"),
            ("coordinator", "乙区の審議会委員", ""),
            ("coordinator", "乙区の顧問弁護士", ""),
        ),
    ),
    "casereviews:conflict_end": Rule(
        "POST",
        kwargs=lambda w: {"pk": w.conflict.pk},
        right=("expert", 302),
        wrong_role=("member_a", 403),
        other_org=("other_expert", 404),
    ),
    "casereviews:conflict_confirm": Rule(
        "POST",
        kwargs=lambda w: {"pk": w.conflict.pk},  # the panel expert's own declaration about 乙区
        right=("coordinator", 302),
        wrong_role=("expert", 403),
        other_org=("other_expert", 404),
    ),
    "casereviews:blind_review_default": Rule(
        "GET",
        right=("admin_a", 200),
        wrong_role=("member_a", 403),
        not_applicable="always the active municipality of its own administrator",
    ),
    "casereviews:meeting_list": Rule(
        "GET",
        right=("expert", 200),
        wrong_role=("member_a", 403),
        not_applicable="the list shows only one's own meetings",
    ),
    "casereviews:meeting_generate": Rule(
        "GET",
        right=("coordinator", 200),
        wrong_role=("expert", 403),
        not_applicable="no organisation's object",
    ),
    "casereviews:meeting_detail": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.meeting.pk},
        right=("expert", 200),
        wrong_role=("member_a", 404),
        other_org=("other_expert", 404),
    ),
    "casereviews:meeting_edit": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.meeting.pk},
        right=("coordinator", 200),
        wrong_role=("expert", 403),
        not_applicable="coordinators only",
    ),
    "casereviews:meeting_ics": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.meeting.pk},
        right=("expert", 200),
        wrong_role=("member_a", 404),
        other_org=("other_expert", 404),
    ),
}

CASES = matrix_cases(CASE_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_case_permission_matrix(client, case_world, name, case):
    check_rule(client, case_world, CASE_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in CASE_MATRIX.items() if r.method == "GET"])
def test_case_pages_get_never_changes_state(client, case_world, name):
    check_get_is_safe(client, case_world, CASE_MATRIX[name], name)
