"""Audit action codes are shown by Japanese labels; every code the code base records has one."""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.accounts import services as account_services
from portal.casereviews.services import TRANSITIONS
from portal.core.labels import ACTION_LABELS, AREA_LABELS, action_label
from portal.core.models import SeatStatus
from portal.news.models import Post
from portal.outreach.models import VisitReferral

PostStatus = Post.Status
ReferralStatus = VisitReferral.Status

PORTAL = Path(__file__).resolve().parents[2] / "portal"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# Codes built at run time (f-strings): the literal text before the placeholder → every value the
# placeholder can take. A new f-string action code fails the test until it is listed here.
# The audit prefixes of the apps built on the registration engine (core.registrations.Occasion.action).
OCCASION_ACTIONS = ["event", "training"]

DYNAMIC = {
    "case.": sorted({str(to) for targets in TRANSITIONS.values() for to in targets}),
    "event.register.": [str(SeatStatus.CONFIRMED), str(SeatStatus.WAITLISTED)],
    "training.register.": [str(SeatStatus.CONFIRMED), str(SeatStatus.WAITLISTED)],
    "talent_bank.availability.": ["schedule", "weekly", "exception"],
    "news.": [str(PostStatus.SUBMITTED), str(PostStatus.PUBLISHED)],
    "visit_referral.": [str(s) for s in ReferralStatus],
}


# The occasions of the one registration engine (portal/core/registrations.py): Occasion(action=…).
OCCASION_ACTIONS = ["event", "training"]


def _occasion_suffix(value: ast.JoinedStr) -> str | None:
    """ ".cancel" of f"{occ.action}.cancel", else None."""
    first, *rest = value.values
    if not (isinstance(first, ast.FormattedValue) and ast.unparse(first.value).endswith(".action")):
        return None
    if not all(isinstance(p, ast.Constant) for p in rest):
        return None
    return "".join(p.value for p in rest)


def _strings(node):
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _passed_for(trees, function, parameter):
    """The strings the calls of ``function`` (by its name, or as ``module.name`` from another
    module) pass for ``parameter``: a helper that records the action its callers name."""
    names = [a.arg for a in function.args.args]
    keyword_only = [a.arg for a in function.args.kwonlyargs]
    if parameter not in names + keyword_only:
        return []
    index = names.index(parameter) if parameter in names else None
    found = []
    for call in (node for tree in trees for node in ast.walk(tree)):
        if not isinstance(call, ast.Call):
            continue
        if function.name not in (getattr(call.func, "id", ""), getattr(call.func, "attr", "")):
            continue
        given = [k.value for k in call.keywords if k.arg == parameter]
        if index is not None and len(call.args) > index:
            given.append(call.args[index])
        for value in given:
            found.extend(_strings(value) if isinstance(value, ast.Constant | ast.IfExp) else [])
    return found


def recorded_action_codes():
    """Every ``action=`` given to ``audit.record`` in portal/ (with where), and what could not be read."""
    codes, unreadable = {}, []
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PORTAL.rglob("*.py"))
    }
    for path, tree in trees.items():
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for function in functions:
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "attr", getattr(call.func, "id", ""))
                if name != "record":
                    continue
                for keyword in call.keywords:
                    if keyword.arg != "action":
                        continue
                    where = f"{path.relative_to(PORTAL.parent)}:{keyword.value.lineno}"
                    value = keyword.value
                    found = []
                    if isinstance(value, ast.Constant | ast.IfExp):
                        found = _strings(value)
                    elif isinstance(value, ast.JoinedStr) and _occasion_suffix(value) is not None:
                        # the registration engine: f"{occ.action}.cancel" for every occasion kind
                        found = [kind + _occasion_suffix(value) for kind in OCCASION_ACTIONS]
                    elif isinstance(value, ast.JoinedStr):
                        prefix = "".join(p.value for p in value.values if isinstance(p, ast.Constant))
                        found = [prefix + v for v in DYNAMIC.get(prefix, [])]
                        if not found and isinstance(value.values[0], ast.FormattedValue):
                            # core.registrations: f"{occ.action}.offer" for each app's Occasion
                            found = [action + prefix for action in OCCASION_ACTIONS]
                    elif isinstance(value, ast.Name):
                        found = [
                            s
                            for a in ast.walk(function)
                            if isinstance(a, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == value.id for t in a.targets)
                            for s in _strings(a.value)
                        ]
                    if not found and isinstance(value, ast.Name):
                        found = _passed_for([tree], function, value.id) or _passed_for(
                            trees.values(), function, value.id
                        )
                    if not found:
                        unreadable.append(f"{where}: {ast.unparse(value)}")
                    for code in found:
                        codes.setdefault(code, where)
    return codes, unreadable


def test_every_recorded_action_code_has_a_label():
    codes, unreadable = recorded_action_codes()

    assert len(codes) > 100  # the scan found the recorder's calls
    assert "auth.login" in codes and "case.submitted" in codes and "training.course_create" in codes
    assert unreadable == [], "action codes this test cannot read (add them to DYNAMIC): " + str(unreadable)
    missing = {code: where for code, where in codes.items() if code not in ACTION_LABELS}
    assert missing == {}, "recorded action codes without a label in portal/core/labels.py"


def test_every_action_label_and_area_is_japanese():
    with translation.override("ja"):
        shown = {code: str(label) for code, label in {**ACTION_LABELS, **AREA_LABELS}.items()}

    not_japanese = {code: text for code, text in shown.items() if not JAPANESE.search(text)}
    assert not_japanese == {}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("case.view", "ケースを閲覧"),
        ("auth.login", "ログイン"),
        ("case.submitted", "ケースを提出"),
        ("case.something_new", "多職種専門チームのケースの操作"),
        ("hearing_sheet.archive", "事前ヒアリングシートの操作"),
        ("unknown.thing", "その他の操作"),
        ("", "その他の操作"),
    ],
)
def test_action_label_never_shows_the_code(code, expected):
    with translation.override("ja"):
        assert action_label(code) == expected


def test_action_label_filter_in_a_template():
    with translation.override("ja"):
        html = Template("{% load portal %}{{ code|action_label }}").render(Context({"code": "training.quiz"}))

    assert html == "確認テストに回答"


@pytest.mark.django_db
def test_audit_history_shows_action_labels_not_codes(coordinator, admin_a, org_a, client):
    account_services.organization_set_mfa_policy(actor=admin_a, organization=org_a, require_mfa=True)
    client.force_login(coordinator)

    response = client.get(
        reverse("core:audit_history", args=[ContentType.objects.get_for_model(org_a).pk, org_a.pk])
    )

    html = response.content.decode()
    assert ">2段階認証の設定を変更</td>" in html
    assert ">organization.mfa_policy<" not in html
