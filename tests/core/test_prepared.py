"""A prepared queryset returns what the ORM returns for the same values, for every value it is run
with after the first, and refuses querysets whose rows it would read wrongly."""

import pytest
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import Membership, Organization, User
from portal.core.prepared import Prepared

from ..factories import MembershipFactory, NotificationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _memberships(user_id):
    return Membership.objects.active().filter(user=user_id).select_related("organization")


def _described(memberships):
    return [
        (m.pk, m.role, m.organization.pk, m.organization.name, m.organization.support_types)
        for m in memberships
    ]


def test_rows_and_related_objects_are_the_orms_for_each_value(django_assert_num_queries):
    first, second, nobody = UserFactory(), UserFactory(), UserFactory()
    for org in OrganizationFactory.create_batch(2, support_types=["visits", "family"]):
        MembershipFactory(user=first, organization=org)
    MembershipFactory(user=second)
    MembershipFactory(user=second, is_active=False)
    prepared = Prepared(_memberships)

    for user in (first, second, nobody, first):
        with django_assert_num_queries(1):  # the organisations come with the memberships
            loaded = prepared(user.pk)
            described = _described(loaded)
        assert described == _described(_memberships(user.pk))
        # values converted as Django converts them (a JSON column arrives as text)
        mine = [m for m in loaded if m.user_id == first.pk]
        assert all(m.organization.support_types == ["visits", "family"] for m in mine)
        assert all(isinstance(m.organization, Organization) for m in loaded)
    assert len(prepared(first.pk)) == 2 and len(prepared(nobody.pk)) == 0


def test_a_change_between_calls_is_seen_by_the_next():
    membership = MembershipFactory()
    prepared = Prepared(_memberships)
    assert len(prepared(membership.user_id)) == 1

    Membership.objects.filter(pk=membership.pk).update(is_active=False)

    assert prepared(membership.user_id) == []


def test_annotations_deferred_columns_and_several_arguments():
    user = UserFactory()
    MembershipFactory.create_batch(3, user=user)
    other = UserFactory()

    def build(user_id, other_id):
        return (
            User.objects.filter(pk__in=[user_id, other_id])
            .only("email")
            .annotate(
                n=Count("memberships"),
                belongs=Exists(Membership.objects.filter(user=OuterRef("pk"))),
            )
            .order_by("pk")
        )

    prepared = Prepared(build)
    for a, b in ((user.pk, other.pk), (other.pk, user.pk)):
        got = [(u.pk, u.email, u.n, bool(u.belongs), u.get_deferred_fields()) for u in prepared(a, b)]
        want = [(u.pk, u.email, u.n, bool(u.belongs), u.get_deferred_fields()) for u in build(a, b)]
        assert got == want
    assert [u.n for u in prepared(user.pk, other.pk)] == [3, 0]


@pytest.mark.parametrize(
    "build",
    [
        lambda user_id: User.objects.filter(pk=user_id).values("email"),
        lambda user_id: User.objects.filter(pk=user_id).prefetch_related("memberships"),
        lambda user_id: User.objects.filter(email="x@example.jp"),
    ],
    ids=["values", "prefetch", "argument not among the parameters"],
)
def test_querysets_it_cannot_read_are_refused(build):
    with pytest.raises(ValueError):
        Prepared(build)(1)


def test_dates_and_times_as_arguments_read_as_the_orm_reads_them():
    import datetime as dt

    from django.utils import timezone

    from portal.core.models import Notification

    user = UserFactory()
    now = timezone.now()
    for hours in (-30, -3, 2, 50):
        n = NotificationFactory(user=user)
        Notification.objects.filter(pk=n.pk).update(created_at=now + dt.timedelta(hours=hours))

    def build(user_id, since, until):
        return Notification.objects.filter(user=user_id, created_at__gte=since, created_at__lt=until)

    prepared = Prepared(build, kinds=(int, dt.datetime, dt.datetime))
    for since, until in (
        (now - dt.timedelta(hours=4), now + dt.timedelta(hours=3)),
        (now, now + dt.timedelta(days=3)),
    ):
        assert [n.pk for n in prepared(user.pk, since, until)] == [n.pk for n in build(user.pk, since, until)]
    assert len(prepared(user.pk, now - dt.timedelta(days=2), now)) == 2


def test_counts_in_one_statement_are_what_count_answers():
    import datetime as dt

    from django.utils import timezone

    from portal.core.prepared import PreparedCounts

    first, second = UserFactory(), UserFactory()
    MembershipFactory.create_batch(3, user=first)
    MembershipFactory(user=second, is_active=False)
    builders = {
        "active": lambda user_id, since: Membership.objects.filter(user=user_id, is_active=True),
        "since": lambda user_id, since: Membership.objects.filter(user=user_id, created_at__gte=since),
        "everyone": lambda user_id, since: User.objects.filter(is_active=True),
    }
    counts = PreparedCounts(builders, kinds=(int, dt.datetime))
    later = timezone.now() + dt.timedelta(minutes=1)

    for user, since in (
        (first, later - dt.timedelta(days=1)),
        (second, later - dt.timedelta(days=1)),
        (first, later),
    ):
        with CaptureQueriesContext(connection) as queries:
            got = counts(user.pk, since)
        assert got == {name: build(user.pk, since).count() for name, build in builders.items()}
        assert len(queries.captured_queries) == 1
    assert counts(first.pk, later - dt.timedelta(days=1))["active"] == 3


def test_a_number_compared_with_a_32_bit_column_keeps_its_condition():
    for version in (1, 1, 2, 3):
        MembershipFactory(version=version)
    prepared = Prepared(
        lambda version: Membership.objects.filter(version=version).exclude(version=version + 0)
    )
    assert prepared(1) == []  # the exclusion is kept (a value out of the column's range would drop it)

    prepared = Prepared(lambda version: Membership.objects.filter(version=version))
    for version in (1, 2, 3, 4):
        assert sorted(m.pk for m in prepared(version)) == sorted(
            Membership.objects.filter(version=version).values_list("pk", flat=True)
        )


def test_a_value_worked_out_from_an_argument_or_a_time_taken_for_a_date_is_refused():
    import datetime as dt

    from portal.accounts.models import Invitation
    from portal.municipalities.models import FollowUpAction

    soon = Prepared(
        lambda now: Invitation.objects.pending(now).filter(expires_at__lte=now + dt.timedelta(days=1)),
        kinds=(dt.datetime,),
    )
    mixed = Prepared(
        lambda at, day: FollowUpAction.objects.filter(due_date__lt=at).exclude(due_date=day),
        kinds=(dt.datetime, dt.date),
    )
    for prepared in (soon, mixed):
        with pytest.raises(ValueError):
            prepared(dt.datetime.now(dt.UTC), dt.date.today())
