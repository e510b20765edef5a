import pytest

from .confirmations import check_confirmation
from .test_permission_matrix import MATRIX, world  # noqa: F401 (world is the fixture)

NAMES = ["accounts:organization_deactivate", "municipalities:question_delete"]


@pytest.mark.parametrize("name", NAMES)
def test_irreversible_action_asks_first(client, world, name):  # noqa: F811 (the fixture)
    check_confirmation(client, world, MATRIX[name], name)
