"""Who a mailing reaches, and that each person receives exactly one letter, once."""

import pytest
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts import services as account_services
from portal.accounts.models import Membership
from portal.core import pii
from portal.core.models import OutboundEmail
from portal.mailings import selectors, services, tasks
from portal.mailings.models import Mailing, MailingRecipient

from ..factories import MembershipFactory
from .conftest import draft, make_event, registered, send

pytestmark = pytest.mark.django_db


def _user_ids(coordinator, mailing, event):
    return [u for u, _o in selectors.audience(coordinator, mailing, event)]


def test_audience_leaves_out_ended_membership_and_deactivated_user(coordinator, event, org_a):
    stays, leaves, deactivated = registered(event, org_a, 3)
    membership = Membership.objects.get(user=leaves, organization=org_a)
    account_services.membership_deactivate(
        actor=coordinator, membership=membership, based_on_version=membership.version
    )
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    mailing = draft(coordinator, event)

    assert _user_ids(coordinator, mailing, event) == [stays.pk]


def test_registration_through_an_organisation_left_is_not_written_to_even_if_still_member_elsewhere(
    coordinator, event, org_a, org_b
):
    (person,) = registered(event, org_a)
    MembershipFactory(user=person, organization=org_b)
    membership = Membership.objects.get(user=person, organization=org_a)
    account_services.membership_deactivate(
        actor=coordinator, membership=membership, based_on_version=membership.version
    )

    assert _user_ids(coordinator, draft(coordinator, event), event) == []


def test_groups_follow_the_registration_states(coordinator, org_a):
    event = make_event(coordinator, capacity=2)
    confirmed = registered(event, org_a, 2)
    waiting = registered(event, org_a, 1)

    def ids(group):
        return sorted(_user_ids(coordinator, draft(coordinator, event, group=group), event))

    assert ids("confirmed") == sorted(p.pk for p in confirmed)
    assert ids("waitlisted") == [waiting[0].pk]
    assert ids("all") == sorted(p.pk for p in confirmed + waiting)
    assert ids("attended") == []


def test_staff_of_organisations_are_counted_once_per_person(coordinator, org_a, org_b):
    both = MembershipFactory(organization=org_a).user
    MembershipFactory(user=both, organization=org_b)
    only_b = MembershipFactory(organization=org_b).user
    mailing = services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.ORGANIZATIONS,
        audience={"kinds": ["municipality"]},
        subject="研修のご案内",
        body="{団体名} {氏名}様",
    )

    rows = selectors.audience(coordinator, mailing)

    user_ids = [u for u, _o in rows]
    assert sorted(user_ids) == sorted({both.pk, only_b.pk} | {m.user_id for m in org_a.memberships.all()})
    assert len(user_ids) == len(set(user_ids))


def test_area_choice_keeps_wards_only(coordinator, org_a, org_b):
    ward_staff = MembershipFactory(organization=org_b).user  # 乙区 is a ward
    MembershipFactory(organization=org_a)  # 甲市 is no ward
    mailing = services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.ORGANIZATIONS,
        audience={"kinds": ["municipality"], "municipality_kinds": ["ward"]},
        subject="件名",
        body="本文",
    )

    assert [u for u, _o in selectors.audience(coordinator, mailing)] == [ward_staff.pk]


def test_count_shown_equals_emails_queued(
    coordinator, event, org_a, org_b, django_capture_on_commit_callbacks
):
    registered(event, org_a, 3)
    registered(event, org_b, 2)
    mailing = draft(coordinator, event)
    shown = len(selectors.audience(coordinator, mailing, event))

    with django_capture_on_commit_callbacks(execute=True):
        services.mailing_send(
            actor=coordinator, mailing=mailing, expected_count=shown, based_on_version=mailing.version
        )

    mailing.refresh_from_db()
    assert shown == 5
    assert (mailing.status, mailing.total, mailing.done) == ("sent", 5, 5)
    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == 5
    assert len(django_mail.outbox) == 5


def test_send_twice_writes_once(coordinator, event, org_a, django_capture_on_commit_callbacks):
    registered(event, org_a, 2)
    mailing = draft(coordinator, event)
    with django_capture_on_commit_callbacks(execute=True):
        send(coordinator, mailing, event)
        with pytest.raises(services.AlreadySent):
            send(coordinator, mailing, event)

    assert MailingRecipient.objects.filter(mailing=mailing).count() == 2
    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == 2


def test_task_run_again_writes_no_second_letter(coordinator, event, org_a):
    registered(event, org_a, 3)
    mailing = send(coordinator, draft(coordinator, event), event)  # on-commit not run: the task is lost

    services.mailing_run(mailing.pk)
    tasks.send_mailing(mailing_id=mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)  # as if the finish was lost
    services.mailing_run(mailing.pk)

    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == 3
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True)) == {
        "queued"
    }


def test_person_deactivated_after_sending_is_skipped(coordinator, event, org_a):
    stays, leaves = registered(event, org_a, 2)
    mailing = send(coordinator, draft(coordinator, event), event)
    leaves.is_active = False
    leaves.save(update_fields=["is_active"])

    services.mailing_run(mailing.pk)

    rows = dict(MailingRecipient.objects.filter(mailing=mailing).values_list("user_id", "status"))
    assert rows == {stays.pk: "queued", leaves.pk: "skipped"}
    assert OutboundEmail.objects.filter(kind="mailings/letter").count() == 1


def test_send_refused_when_the_group_changed_since_the_page(coordinator, event, org_a):
    registered(event, org_a, 2)
    mailing = draft(coordinator, event)
    shown = len(selectors.audience(coordinator, mailing, event))
    registered(event, org_a, 1)

    with pytest.raises(services.AudienceChanged):
        services.mailing_send(
            actor=coordinator, mailing=mailing, expected_count=shown, based_on_version=mailing.version
        )
    mailing.refresh_from_db()
    assert mailing.status == "draft"
    assert not MailingRecipient.objects.filter(mailing=mailing).exists()


def test_letter_fills_placeholders_and_follows_the_letter_layout(coordinator, event, org_a):
    (person,) = registered(event, org_a, display_name="山田 花子")
    mailing = send(coordinator, draft(coordinator, event), event)

    services.mailing_run(mailing.pk)

    letter = OutboundEmail.objects.get(kind="mailings/letter")
    assert letter.to == person.email
    assert "{" not in letter.subject and "令和" in letter.subject
    assert letter.body_text.startswith("山田 花子 様\n")
    assert "山田 花子様" in letter.body_text
    assert "都庁会議室でお待ちしています。" in letter.body_text
    assert letter.body_text.count(f"/events/{event.pk}/") == 1  # {リンク} given: no second link
    assert "東京都ひきこもりサポートネット" in letter.body_text


def test_unknown_placeholder_is_refused(coordinator, event):
    with pytest.raises(services.ValidationError) as exc:
        draft(coordinator, event, body="{氏名}様 {住所}へ")
    assert "「{住所}」" in str(exc.value)


def test_organisation_mailing_cannot_use_the_date_placeholder(coordinator):
    with pytest.raises(services.ValidationError):
        services.mailing_create(
            actor=coordinator,
            source=Mailing.Source.ORGANIZATIONS,
            audience={"kinds": ["partner"]},
            subject="{日時}",
            body="本文",
        )


def test_personal_data_must_be_confirmed(coordinator, event):
    body = "連絡先は山田太郎さん 090-1234-5678 です。"
    with pytest.raises(services.PersonalDataFound) as exc:
        draft(coordinator, event, body=body)
    keys = {pii.finding_key(f, x) for f, items in exc.value.findings.items() for x in items}

    mailing = services.mailing_create(
        actor=coordinator,
        source=Mailing.Source.EVENT,
        source_obj=event,
        group="confirmed",
        subject="件名",
        body=body,
        confirmed=keys,
    )

    assert keys and len(mailing.confirmed_findings) == len(keys)


def test_non_coordinator_cannot_write(admin_a, event):
    with pytest.raises(PermissionDenied):
        draft(admin_a, event)


def _batch_queries(mailing, size):
    with CaptureQueriesContext(connection) as ctx:
        done = services.send_batch(mailing, size=size)
    return done, len(ctx.captured_queries)


def test_each_batch_costs_the_same_queries(coordinator, org_a):
    small = make_event(coordinator)
    registered(small, org_a, 1)
    big = make_event(coordinator)
    registered(big, org_a, 20)
    one = send(coordinator, draft(coordinator, small), small)
    many = send(coordinator, draft(coordinator, big), big)

    done_one, queries_one = _batch_queries(one, 50)
    done_many, queries_many = _batch_queries(many, 50)

    assert (done_one, done_many) == (1, 20)
    assert queries_one == queries_many


def test_batches_split_a_large_group(coordinator, org_a):
    event = make_event(coordinator)
    registered(event, org_a, 5)
    mailing = send(coordinator, draft(coordinator, event), event)

    assert services.send_batch(mailing, size=2) == 2
    mailing.refresh_from_db()
    assert (mailing.done, mailing.total) == (2, 5)
    assert services.send_batch(mailing, size=2) == 2
    assert services.send_batch(mailing, size=2) == 1
    assert services.send_batch(mailing, size=2) == 0
