"""No existence oracle: partners, experts and other municipalities get the same answer (404) for a
sheet, exchange, action or window that exists as for one that does not, on every URL of the family."""

import pytest
from django.urls import reverse

from ..test_permission_matrix import world  # noqa: F401 -- the shared fixture of the matrix

MISSING = 987654

FAMILIES = {
    "sheets": [
        ("GET", "municipalities:sheet_detail", lambda w: {"pk": w.sheet.pk}),
        ("GET", "municipalities:sheet_edit", lambda w: {"pk": w.sheet.pk}),
        ("POST", "municipalities:sheet_autosave", lambda w: {"pk": w.sheet.pk}),
        ("GET", "municipalities:sheet_revision", lambda w: {"pk": w.old_sheet.pk, "number": 1}),
        ("GET", "municipalities:sheet_file", lambda w: {"pk": w.sheet.pk, "file_pk": w.file.pk}),
        ("POST", "municipalities:sheet_file_delete", lambda w: {"pk": w.sheet.pk, "file_pk": w.file.pk}),
        ("POST", "municipalities:sheet_return", lambda w: {"pk": w.old_sheet.pk}),
        ("POST", "municipalities:sheet_note", lambda w: {"pk": w.sheet.pk}),
        ("GET", "municipalities:sheet_compare", lambda w: {"pk": w.sheet.pk}),
        ("GET", "municipalities:sheet_pdf", lambda w: {"pk": w.sheet.pk}),
        ("GET", "municipalities:session_create", lambda w: {"pk": w.sheet.pk}),
    ],
    "exchanges": [
        ("GET", "municipalities:session_detail", lambda w: {"pk": w.session.pk}),
        ("GET", "municipalities:session_edit", lambda w: {"pk": w.session.pk}),
        ("POST", "municipalities:session_cancel", lambda w: {"pk": w.session.pk}),
        ("POST", "municipalities:session_record", lambda w: {"pk": w.session.pk}),
        ("GET", "municipalities:session_ics", lambda w: {"pk": w.session.pk}),
        ("POST", "municipalities:action_create", lambda w: {"pk": w.session.pk}),
    ],
    "actions": [("POST", "municipalities:action_done", lambda w: {"pk": w.action.pk})],
    "windows": [
        ("GET", "windows:window_edit", lambda w: {"pk": w.window.pk}),
        ("POST", "windows:window_delete", lambda w: {"pk": w.window.pk}),
    ],
}


@pytest.mark.parametrize("actor", ["partner_member", "expert", "admin_b"])
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_object_urls_answer_404_for_existing_and_missing_objects_alike(
    client,
    world,  # noqa: F811 -- the imported fixture
    family,
    actor,
):
    client.force_login(getattr(world, actor))
    answers = {}
    for method, name, kwargs in FAMILIES[family]:
        send = client.post if method == "POST" else client.get
        existing = kwargs(world)
        missing = dict.fromkeys(existing, MISSING)
        answers[name] = (
            send(reverse(name, kwargs=existing)).status_code,
            send(reverse(name, kwargs=missing)).status_code,
        )

    assert answers == {name: (404, 404) for _m, name, _k in FAMILIES[family]}
