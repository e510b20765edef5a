"""The purge engine's shared parts: the copies of a record's text are cleared and nothing else,
the nightly task runs every kind and audits the count per kind."""

import pytest
from django.conf import settings

from portal.core import audit, outbox, purge
from portal.core.models import AuditEvent, OutboundEmail

from ..factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_clear_copies_blanks_the_records_copies_and_leaves_other_rows():
    user = UserFactory()
    linked = outbox.notify(user=user, title="訪問相談 V1", body="短い", url="/visits/1/")
    holding = outbox.notify(
        user=user, title="別件", body="コーディネーターのメモ：母と面談済み", url="/visits/2/"
    )
    other = outbox.notify(user=user, title="訪問相談 V12", body="ほかの依頼", url="/visits/12/")
    org = OrganizationFactory()
    event = audit.record(actor=None, action="visit_referral.view", obj=org, details={"note": "母と面談済み"})

    cleared = purge.clear_copies(texts=["母と面談済み", "母"], urls=["/visits/1/"], objects=[])

    for note in (linked, holding, other):
        note.refresh_from_db()
    assert linked.body == "" and holding.body == ""
    assert other.body == "ほかの依頼"  # /visits/12/ is another referral, 「母」 too short to search for
    assert not OutboundEmail.objects.filter(body_text__contains="母と面談済み").exists()
    assert OutboundEmail.objects.filter(body_text__contains="ほかの依頼").exists()
    event.refresh_from_db()
    assert event.details == {}
    assert cleared["notifications"] == 2 and cleared["audit"] == 1


def test_clear_copies_gives_audit_rows_their_neutral_label_back():
    org = OrganizationFactory(name="甲市")
    event = audit.record(actor=None, action="organization.update", obj=org)
    AuditEvent.objects.filter(pk=event.pk).update(object_repr="甲市の相談者 山田")

    purge.clear_copies(objects=[org])

    event.refresh_from_db()
    assert event.object_repr == f"{org._meta.verbose_name} #{org.pk}"


def test_the_nightly_task_runs_every_kind_and_audits_each_count():
    from portal.core import tasks

    counts = tasks.purge_due()

    assert set(counts) == {k.name for k in purge.kinds()}
    audited = {e.details["kind"]: e.details["purged"] for e in AuditEvent.objects.filter(action="purge.run")}
    assert audited == counts


def test_one_beat_entry_purges_every_kind():
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "core.purge_due" in tasks
    assert "outreach.purge" not in tasks and "casereviews.purge" not in tasks


def test_a_model_declared_without_personal_data_must_say_why():
    with pytest.raises(ValueError):
        purge.no_personal_data("core.Notification", reason=" ")
