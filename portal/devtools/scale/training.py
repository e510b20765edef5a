"""Scale data of trainings: four courses a year for ten years, five sessions each, 100,000
registrations (about 500 a session, the roster page's size), attendance marked for past sessions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Membership, User
from portal.devtools.scale import Plan, bulk, own_timestamps
from portal.training.models import Course, Registration, Session


def generate(*, plan: Plan) -> None:
    if Course.objects.filter(code__startswith="scale-").exists():
        return
    coordinator = User.objects.get(email=plan.email("coordinator"))
    tz = timezone.get_current_timezone()
    tracks = list(Course.Track.values)
    courses = [
        Course(
            fiscal_year=fy,
            code=f"scale-{track}",
            track=track,
            number=9,
            title=f"規模 {Course.Track(track).label}".split("(")[0].strip(),
            audience=["municipality", "partner"],
            format=Course.Format.IN_PERSON,
        )
        for fy in plan.years()
        for track in tracks
    ]
    bulk(Course, courses)
    sessions = []
    for course in Course.objects.filter(code__startswith="scale-").order_by("fiscal_year", "track"):
        for k in range(5):
            day = dt.date(course.fiscal_year, 5, 10) + dt.timedelta(days=61 * k)
            starts = dt.datetime.combine(day, dt.time(14), tzinfo=tz)
            sessions.append(
                Session(
                    course=course,
                    label=f"第{k + 1}回",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    venue="都内研修室",
                    capacity=600,
                    opens_at=starts - dt.timedelta(days=60),
                    registration_deadline=starts - dt.timedelta(days=2),
                    audience=["municipality", "partner"],
                    created_by=coordinator,
                )
            )
    bulk(Session, sessions)
    session_rows = list(
        Session.objects.filter(course__code__startswith="scale-")
        .order_by("starts_at")
        .values_list("pk", "starts_at")
    )
    people = list(
        Membership.objects.filter(
            user__email__endswith="@scale.example.jp", organization__kind__in=["municipality", "partner"]
        )
        .order_by("-pk")
        .values_list("user_id", "organization_id")
    )
    total = plan.size("training_registrations", minimum=40)
    per_session = min(len(people), max(1, total // len(session_rows)))
    rng = plan.rng("training")

    def rows():
        for pk, starts in session_rows:
            past = starts < plan.now
            start = rng.randrange(len(people))
            for k in range(per_session):
                user, org = people[(start + k) % len(people)]
                yield Registration(
                    session_id=pk,
                    user_id=user,
                    organization_id=org,
                    status="confirmed",
                    registered_by_id=user,
                    created_at=starts - dt.timedelta(days=30),
                    attendance=("present" if k % 7 else "absent") if past else "",
                )

    with own_timestamps(Registration):
        bulk(Registration, rows())
