import pytest

from ..confirmations import check_confirmation
from .test_permissions import CASE_MATRIX, case_world  # noqa: F401 (case_world is the fixture)


@pytest.mark.parametrize("name", ["casereviews:case_reviewed", "casereviews:advice_issue"])
def test_review_and_issue_ask_first(client, case_world, name):  # noqa: F811 (the fixture)
    check_confirmation(client, case_world, CASE_MATRIX[name], name)
