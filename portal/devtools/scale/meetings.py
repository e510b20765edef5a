"""Scale data of exchange meetings and fairs: 1,200 events over ten years and 100,000
registrations; one upcoming fair (「規模 合同相談会」) has 500 registrations for the attendance page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Membership, User
from portal.devtools.scale import Plan, bulk, own_timestamps
from portal.meetings.models import Event, Registration

BIG_EVENT = "規模 合同相談会"


def generate(*, plan: Plan) -> None:
    if Event.objects.filter(title=BIG_EVENT).exists():
        return
    rng = plan.rng("meetings")
    coordinator = User.objects.get(email=plan.email("coordinator"))
    tz = timezone.get_current_timezone()
    total_events = plan.size("events", minimum=5)
    first = timezone.localdate(plan.now) - dt.timedelta(days=3600)
    kinds = list(Event.Kind.values)
    events = []
    for n in range(total_events):
        day = first + dt.timedelta(days=(3700 * n) // total_events)
        starts = dt.datetime.combine(day, dt.time(13, 30), tzinfo=tz)
        events.append(
            Event(
                kind=kinds[n % len(kinds)],
                title=f"支援者交流会 第{n + 1}回",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                venue="都内会議室",
                audience=["municipality", "partner"],
                capacity=120,
                per_organization=5,
                registration_deadline=starts - dt.timedelta(days=3),
                created_by=coordinator,
            )
        )
    soon = dt.datetime.combine(timezone.localdate(plan.now) + dt.timedelta(days=20), dt.time(13), tzinfo=tz)
    events.append(
        Event(
            kind=Event.Kind.values[-1],
            title=BIG_EVENT,
            starts_at=soon,
            ends_at=soon + dt.timedelta(hours=4),
            venue="東京都庁 都民ホール",
            audience=["municipality", "partner"],
            capacity=600,
            per_organization=600,
            registration_deadline=soon - dt.timedelta(days=1),
            created_by=coordinator,
        )
    )
    bulk(Event, events)
    event_ids = list(
        Event.objects.filter(created_by=coordinator)
        .exclude(title=BIG_EVENT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    big = Event.objects.get(title=BIG_EVENT)
    people = list(
        Membership.objects.filter(
            user__email__endswith="@scale.example.jp", organization__kind__in=["municipality", "partner"]
        )
        .order_by("pk")
        .values_list("user_id", "organization_id")
    )
    total = plan.size("event_registrations", minimum=40)
    big_count = min(len(people), max(10, round(500 * min(1.0, plan.scale * 5))))
    per_event = min(len(people), max(1, (total - big_count) // max(1, len(event_ids))))
    now = plan.now

    def rows():
        for user, org in people[:big_count]:
            yield Registration(
                event=big,
                user_id=user,
                organization_id=org,
                status="confirmed",
                registered_by_id=user,
                created_at=now,
            )
        for index, event in enumerate(event_ids):
            start = rng.randrange(len(people))
            for k in range(per_event):
                user, org = people[(start + k) % len(people)]
                yield Registration(
                    event_id=event,
                    user_id=user,
                    organization_id=org,
                    status="confirmed" if k < 100 else "waitlisted",
                    mode=Registration.Mode.VENUE if k % 4 else Registration.Mode.ONLINE,
                    registered_by_id=user,
                    created_at=now - dt.timedelta(days=3700 - index * 3),
                    checked_in_at=None,
                )

    with own_timestamps(Registration):
        bulk(Registration, rows())
