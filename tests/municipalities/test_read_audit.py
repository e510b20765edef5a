"""Every read of a hearing sheet, its revisions, files, exports and exchange records is audited,
and no audit row carries text a person typed."""

import pytest
from django.urls import reverse

from portal.core.models import AuditEvent

from ..test_permission_matrix import world  # noqa: F401 -- the shared fixture of the matrix

READS = [
    ("municipalities:sheet_detail", lambda w: {"pk": w.sheet.pk}, "member_a", "hearing_sheet.view"),
    ("municipalities:sheet_edit", lambda w: {"pk": w.sheet.pk}, "member_a", "hearing_sheet.edit_view"),
    (
        "municipalities:sheet_revision",
        lambda w: {"pk": w.old_sheet.pk, "number": 1},
        "member_a",
        "hearing_sheet.revision_view",
    ),
    (
        "municipalities:sheet_file",
        lambda w: {"pk": w.sheet.pk, "file_pk": w.file.pk},
        "member_a",
        "hearing_sheet.file_download",
    ),
    ("municipalities:sheet_compare", lambda w: {"pk": w.sheet.pk}, "coordinator", "hearing_sheet.compare"),
    ("municipalities:sheet_pdf", lambda w: {"pk": w.sheet.pk}, "member_a", "hearing_sheet.pdf"),
    ("municipalities:session_detail", lambda w: {"pk": w.session.pk}, "member_a", "exchange.view"),
    ("municipalities:session_edit", lambda w: {"pk": w.session.pk}, "coordinator", "exchange.edit_view"),
    ("municipalities:session_ics", lambda w: {"pk": w.session.pk}, "admin_a", "exchange.ics"),
    ("municipalities:programme_export", lambda w: {"pk": w.programme.pk}, "coordinator", "programme.export"),
]


@pytest.mark.parametrize(("name", "kwargs", "actor", "action"), READS, ids=[r[0] for r in READS])
def test_read_of_a_sensitive_record_is_audited(client, world, name, kwargs, actor, action):  # noqa: F811
    user = getattr(world, actor)
    client.force_login(user)

    response = client.get(reverse(name, kwargs=kwargs(world)))

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=action, actor=user).get()
    assert event.object_id


@pytest.mark.django_db
def test_audit_rows_of_the_programme_never_carry_typed_text(client, world):  # noqa: F811
    for name, kwargs, actor, _action in READS:
        client.force_login(getattr(world, actor))
        client.get(reverse(name, kwargs=kwargs(world)))

    typed = ["資料送付", "福祉課", "03-1234-5678"]
    for event in AuditEvent.objects.all():
        blob = f"{event.object_repr}{event.details}"
        assert not [t for t in typed if t in blob], (event.action, blob)
