import html
from urllib.parse import unquote

import time_machine
from django.urls import reverse

from ..confirmations import check_confirmation, snapshot
from .test_permissions import BANK_MATRIX, NOW, bank_world  # noqa: F401 (bank_world is the fixture)


def test_cancelling_a_consultation_asks_first(client, bank_world):  # noqa: F811 (the fixture)
    with time_machine.travel(NOW, tick=False):
        check_confirmation(
            client, bank_world, BANK_MATRIX["partners:consultation_cancel"], "partners:consultation_cancel"
        )


def test_choosing_another_slot_asks_before_moving(client, bank_world):  # noqa: F811 (the fixture)
    rule = BANK_MATRIX["partners:consultation_reschedule"]
    with time_machine.travel(NOW, tick=False):
        client.force_login(getattr(bank_world, rule.right[0]))
        url = reverse("partners:consultation_reschedule", kwargs=rule.kwargs(bank_world))
        listing = html.unescape(client.get(url).content.decode())
        assert '<form method="post">' not in listing, "a slot button must not move the consultation at once"
        choice = unquote(listing.split('href="?start=', 1)[1].split('"', 1)[0])

        before = snapshot()
        page = html.unescape(client.get(url, {"start": choice}).content.decode())
        assert snapshot() == before
        assert f'<input type="hidden" name="start" value="{choice}">' in page
        assert "実行すると、次のようになります" in page

        moved = client.post(url, {"start": choice})
        assert moved.status_code == 302
        assert snapshot() != before
