"""The send task's promises that a one-line slip breaks without a word: each letter carries its own
recipient's name, two runs at once never write to a person twice, a panel expert deactivated after
the send is not written to, and a run that hits an error resumes instead of leaving people waiting."""

import threading
import time

import pytest
from django.db import connection, connections

from portal.accounts import services as account_services
from portal.casereviews import services as casereviews
from portal.core import http, outbox
from portal.core.models import OutboundEmail
from portal.mailings import letters, services, tasks
from portal.mailings.models import Mailing, MailingRecipient

from ..factories import ExpertProfileFactory
from .conftest import draft, make_event, registered, send


def _letters():
    return list(OutboundEmail.objects.filter(kind="mailings/letter"))


@pytest.mark.django_db
def test_each_letter_is_addressed_by_its_own_recipients_name(coordinator, org_a):
    event = make_event(coordinator)
    names = ["青木 一郎", "井上 二葉", "上田 三咲", "江藤 四郎", "大野 五月"]
    people = [registered(event, org_a, display_name=name)[0] for name in names]
    mailing = send(coordinator, draft(coordinator, event, body="{氏名}様へのご案内です。"), event)
    people[1].is_active = False  # left out in the middle of the batch
    people[1].save(update_fields=["is_active"])

    while services.send_batch(mailing, size=3):
        pass

    by_address = {m.to: m.body_text for m in _letters()}
    assert len(by_address) == 4
    for person in people:
        if person.is_active:
            body = by_address[person.email]
            assert f"{person.display_name}様へのご案内です。" in body, person.email
            assert [n for n in names if n != person.display_name and n in body] == []
    for row in MailingRecipient.objects.filter(mailing=mailing, status="queued").select_related(
        "user", "email"
    ):
        assert row.email.to == row.user.email == row.address


@pytest.mark.django_db
def test_panel_expert_deactivated_after_the_send_is_not_written_to(coordinator, org_a):
    active, retired = (ExpertProfileFactory(panel_discipline=d).user for d in ("medical", "legal"))
    first = casereviews.meetings_generate(actor=coordinator, fiscal_year=2030)[0]
    meeting = casereviews.meeting_update(
        actor=coordinator,
        meeting=first,
        based_on_version=first.version,
        starts_at=first.starts_at,
        venue="会議室",
        online_url="",
        capacity=3,
        panel=[active, retired],
    )
    mailing = services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.CASE_MEETING,
        source_obj=meeting,
        group="panel",
        subject="検討会議のご案内",
        body="{氏名}様",
    )
    mailing = services.mailing_send(
        actor=coordinator,
        mailing=mailing,
        expected_count=2,
        based_on_version=mailing.version,
        source_obj=meeting,
    )
    account_services.expert_set_active(actor=coordinator, profile=retired.expert, active=False)

    services.mailing_run(mailing.pk)

    rows = dict(MailingRecipient.objects.filter(mailing=mailing).values_list("user_id", "status"))
    assert rows == {active.pk: "queued", retired.pk: "skipped"}
    assert [m.to for m in _letters()] == [active.email]


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_write_to_each_person_once(coordinator, org_a, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the race is exercised on PostgreSQL in CI")
    event = make_event(coordinator)
    people = registered(event, org_a, 4)
    monkeypatch.setattr(tasks.send_mailing, "delay", lambda **kwargs: None)  # the two runs below are the task
    mailing = send(coordinator, draft(coordinator, event), event)
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {
        "pending"
    }
    write = letters.letter

    def slow_letter(**kwargs):  # both runs have read their rows by now
        time.sleep(0.2)
        return write(**kwargs)

    monkeypatch.setattr(letters, "letter", slow_letter)
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(services.send_batch(Mailing.objects.get(pk=mailing.pk), size=10))
        except Exception as exc:  # noqa: BLE001 -- any failure is the finding; the test names it
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # each row was taken by one run only (a second run skips the rows the first holds)
    assert all(isinstance(n, int) for n in outcomes) and sum(outcomes) == 4, outcomes
    addresses = sorted(m.to for m in _letters())
    assert addresses == sorted(p.email for p in people)
    mailing.refresh_from_db()
    assert mailing.done == 4


@pytest.mark.django_db
def test_a_run_that_hits_an_error_resumes_and_finishes(
    coordinator, org_a, monkeypatch, django_capture_on_commit_callbacks
):
    event = make_event(coordinator)
    people = registered(event, org_a, 3)
    mailing = send(coordinator, draft(coordinator, event), event)
    queue = outbox.queue_emails
    failures = iter([RuntimeError("SMTP の一時的な障害")])

    def flaky(*args, **kwargs):
        for exc in failures:
            raise exc
        return queue(*args, **kwargs)

    monkeypatch.setattr(outbox, "queue_emails", flaky)
    with pytest.raises(RuntimeError):
        services.mailing_run(mailing.pk)
    mailing.refresh_from_db()
    assert mailing.status == "sending" and mailing.error  # not stopped for good
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {
        "pending"
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert services.restart_stale() == 1  # the next periodic pass, minutes later

    mailing.refresh_from_db()
    assert (mailing.status, mailing.done, mailing.total, mailing.error) == ("sent", 3, 3, "")
    assert sorted(m.to for m in _letters()) == sorted(p.email for p in people)


@pytest.mark.django_db
def test_a_run_that_keeps_failing_stops_and_leaves_nobody_waiting(coordinator, org_a, monkeypatch):
    event = make_event(coordinator)
    registered(event, org_a, 2)
    mailing = send(coordinator, draft(coordinator, event), event)

    def broken(*args, **kwargs):
        raise RuntimeError("壊れた送信")

    monkeypatch.setattr(outbox, "queue_emails", broken)
    for _ in range(http.MAX_RESTARTS + 1):
        with pytest.raises(RuntimeError):
            services.mailing_run(mailing.pk)
        services.restart_stale()  # queues the task again (not run here) or, at the end, stops

    mailing.refresh_from_db()
    assert mailing.status == "failed"
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {
        "unsent"
    }
    assert mailing.done == mailing.total == 2
