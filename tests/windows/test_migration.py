"""Moving the directory into its own app loses nothing: windows and confirmations written before
the move are read by the windows app after it, and their audit history follows them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("municipalities", "0001_initial"), ("windows", None)]
AFTER = [
    ("municipalities", "0002_move_windows_to_windows_app"),
    ("windows", "0001_move_windows_from_municipalities"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_windows_written_before_the_move_survive_it(back_to_latest):
    old = _migrate(BEFORE)
    Organization = old.get_model("accounts", "Organization")
    User = old.get_model("accounts", "User")
    ContentType = old.get_model("contenttypes", "ContentType")
    org = Organization.objects.create(kind="municipality", name="甲市", kana="こうし", code="139001")
    user = User.objects.create(email="staff@example.jp", display_name="職員")
    window = old.get_model("municipalities", "ConsultationWindow").objects.create(
        organization=org, name="ひきこもり相談窓口", phone="03-1234-5678", order=2
    )
    old.get_model("municipalities", "DirectoryConfirmation").objects.create(
        organization=org, fiscal_year=2026, confirmed_by=user
    )
    old_type, _created = ContentType.objects.get_or_create(
        app_label="municipalities", model="consultationwindow"
    )

    new = _migrate(AFTER)

    moved = new.get_model("windows", "ConsultationWindow").objects.get(pk=window.pk)
    assert (moved.name, moved.phone, moved.order, moved.organization_id) == (
        "ひきこもり相談窓口",
        "03-1234-5678",
        2,
        org.pk,
    )
    assert (
        new.get_model("windows", "DirectoryConfirmation")
        .objects.filter(organization_id=org.pk, fiscal_year=2026)
        .exists()
    )
    assert new.get_model("contenttypes", "ContentType").objects.get(pk=old_type.pk).app_label == "windows"
