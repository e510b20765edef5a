from ..confirmations import check_confirmation
from .test_permissions import EVENT_MATRIX, event_world  # noqa: F401 (event_world is the fixture)


def test_cancelling_a_registration_asks_first(client, event_world):  # noqa: F811 (the fixture)
    name = "meetings:registration_cancel"
    check_confirmation(client, event_world, EVENT_MATRIX[name], name)
