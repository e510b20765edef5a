"""No existence oracle: a person who may not see a case or a meeting gets the same answer (404)
for one that exists as for one that does not, on every URL of the family."""

import pytest
from django.urls import reverse

from .test_permissions import CASE_MATRIX, case_world  # noqa: F401 -- the shared fixture

MISSING = 987654


CASE_URLS = [n for n in CASE_MATRIX if n.startswith(("casereviews:case_", "casereviews:advice_"))]
CASE_URLS = [n for n in CASE_URLS if n not in ("casereviews:case_list", "casereviews:case_create")]
MEETING_URLS = ["casereviews:meeting_detail", "casereviews:meeting_edit", "casereviews:meeting_ics"]


def _answer(client, name, kwargs):
    rule = CASE_MATRIX[name]
    url = reverse(name, kwargs=kwargs)
    return (client.post if rule.method == "POST" else client.get)(url).status_code


def _missing(kwargs):
    return {k: MISSING for k in kwargs}


@pytest.mark.parametrize("actor", ["partner_member", "other_expert", "admin_b"])
@pytest.mark.parametrize("name", CASE_URLS)
def test_case_urls_answer_404_for_existing_and_missing_cases_alike(client, case_world, name, actor):  # noqa: F811
    client.force_login(getattr(case_world, actor))
    kwargs = CASE_MATRIX[name].kwargs(case_world)
    if actor == "other_expert" and kwargs["pk"] == case_world.advised.pk:
        kwargs = {**kwargs, "pk": case_world.scheduled.pk}  # other_expert is not on that meeting

    assert _answer(client, name, kwargs) == 404
    assert _answer(client, name, _missing(kwargs)) == 404


@pytest.mark.parametrize("actor", ["partner_member", "member_a", "other_expert"])
@pytest.mark.parametrize("name", MEETING_URLS)
def test_meeting_urls_answer_404_for_existing_and_missing_meetings_alike(
    client,
    case_world,  # noqa: F811 -- the imported fixture
    name,
    actor,
):
    client.force_login(getattr(case_world, actor))
    kwargs = CASE_MATRIX[name].kwargs(case_world)

    assert _answer(client, name, kwargs) == 404
    assert _answer(client, name, _missing(kwargs)) == 404
