from ..confirmations import check_confirmation
from .test_permissions import TRAINING_MATRIX, training_world  # noqa: F401 (training_world is the fixture)


def test_cancelling_a_registration_asks_first(client, training_world):  # noqa: F811 (the fixture)
    name = "training:registration_cancel"
    check_confirmation(client, training_world, TRAINING_MATRIX[name], name)
