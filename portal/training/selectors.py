"""Reads of the training programme, always for a person."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in
from portal.accounts.selectors import PERSON_AT_ORGANISATION
from portal.core import waitlist
from portal.core.dates import fiscal_year_of

from . import permissions
from .models import Completion, Course, ModuleProgress, Registration, Session

EXPORT_CHUNK = 2000


def _seat_counts(via: str = "") -> dict:
    """Venue seats (against the venue's places), online seats (counted on their own) and the
    waiting list: as annotations of sessions (``via="registrations"``) or as a count of
    registrations grouped by session (``via=""``)."""
    prefix = f"{via}__" if via else ""
    counted = via or "pk"
    return {
        "confirmed": Count(counted, filter=Q(**{f"{prefix}status": "confirmed", f"{prefix}mode": "venue"})),
        "online_confirmed": Count(
            counted, filter=Q(**{f"{prefix}status": "confirmed", f"{prefix}mode": "online"})
        ),
        "waiting": Count(counted, filter=Q(**{f"{prefix}status__in": ["waitlisted", "offered"]})),
    }


_SEATS = _seat_counts("registrations")


def _kinds(user) -> set[str]:
    return {m.organization.kind for m in active_memberships(user)}


def fiscal_years() -> list[int]:
    years = set(Course.objects.values_list("fiscal_year", flat=True).distinct())
    years.add(fiscal_year_of())
    return sorted(years, reverse=True)


def catalogue(user, fiscal_year: int) -> list[Course]:
    """The year's courses the person may take (coordinators: all), each with its upcoming
    sessions and their seat counts, in two queries."""
    sessions = Session.objects.filter(ends_at__gte=timezone.now()).annotate(**_SEATS).order_by("starts_at")
    courses = (
        Course.objects.filter(fiscal_year=fiscal_year)
        .prefetch_related(Prefetch("sessions", queryset=sessions, to_attr="upcoming"), "prerequisites")
        .order_by("track", "number")
    )
    if is_coordinator(user):
        return list(courses)
    kinds = _kinds(user)
    return [c for c in courses if kinds & set(c.audience) and c.is_active]


def course_page(user, course: Course) -> dict:
    progress = {p.module_id: p for p in ModuleProgress.objects.filter(user=user, module__course=course)}
    modules = [(m, progress.get(m.pk)) for m in course.modules.all()]
    return {
        "sessions": course.sessions.annotate(**_SEATS).order_by("starts_at"),
        "modules": modules,
        "passed": sum(1 for _m, mine in modules if mine and mine.passed_at),
        "missing": permissions.missing_prerequisites(user, course),
        "completion": Completion.objects.filter(course=course, user=user)
        .select_related("certificate")
        .first(),
        "prerequisites": course.prerequisites.all(),
    }


def colleagues_to_register(user, session: Session):
    """Colleagues an organisation admin may register (not yet registered), or None for non-admins."""
    org = permissions.audience_organization(user, session.audience)
    m = membership_in(user, org.pk) if org else None
    if not (m and m.is_admin):
        return None
    taken = Registration.objects.filter(session=session).exclude(status="cancelled").values("user_id")
    return (
        User.objects.filter(memberships__organization=org, memberships__is_active=True, is_active=True)
        .exclude(pk__in=taken)
        .order_by("display_name", "email")
    )


def session_page(user, session: Session) -> dict:
    """The session page for this person: their registration and, for organisation admins, their
    organisation's, each marked with whether this person may still cancel it."""
    admin_orgs = [m.organization_id for m in active_memberships(user) if m.is_admin]
    seats = Registration.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        waiting=Count("pk", filter=Q(status__in=["waitlisted", "offered"])),
        venue=Count("pk", filter=Q(status="confirmed", mode="venue")),
        online=Count("pk", filter=Q(status="confirmed", mode="online")),
        venue_waiting=Count("pk", filter=Q(status="waitlisted", mode="venue")),
        online_waiting=Count("pk", filter=Q(status="waitlisted", mode="online")),
    )
    mine = Registration.objects.filter(session=session, user=user).exclude(status="cancelled").first()
    org_registrations = (
        permissions.visible_registrations(user)
        .filter(session=session, organization_id__in=admin_orgs)
        .exclude(status="cancelled")
        .select_related("user", "organization", "session")
    )

    def cancellable(registration) -> bool:
        return not registration.attendance and permissions.can_cancel(user, registration)

    return {
        "mine": mine,
        "mine_can_cancel": mine is not None and cancellable(mine),
        "mine_position": waiting_position(mine) if mine else None,
        "admin_org_ids": admin_orgs,
        "org_registrations": [(r, cancellable(r)) for r in org_registrations],
        "eligibility": permissions.eligibility(user, session),
        **seats,
    }


def waiting_position(registration: Registration) -> int | None:
    """「キャンセル待ち3番目」: the place in the waiting list of the registration's own mode."""
    return waitlist.position(
        registration, Registration.objects.filter(session_id=registration.session_id, mode=registration.mode)
    )


# What a roster line shows (page, PDF, export): a session of 500 reads no other column.
ROSTER_COLUMNS = (
    "session_id",
    "status",
    "mode",
    "accessibility",
    "attendance",
    "created_at",
    "offer_expires_at",
    *PERSON_AT_ORGANISATION,
)


def roster(session: Session, *, query: str = ""):
    """Every registration not cancelled; ``query`` finds people by name, e-mail or organisation."""
    rows = session.registrations.exclude(status="cancelled")
    if query:
        rows = rows.filter(
            Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organization__name__icontains=query)
        )
    return (
        rows.select_related("user", "organization")
        .only(*ROSTER_COLUMNS)
        .order_by("status", "organization__kind", "organization__code", "user__display_name", "pk")
    )


def roster_lines(rows):
    """The roster page's lines (``roster()`` filtered as wanted) as dictionaries of its columns, read
    as values: 100 lines without building 300 instances."""
    return rows.values("pk", *ROSTER_COLUMNS)


def waiting_list(session: Session):
    """The session's waiting list in the order seats are offered."""
    from portal.core import waitlist

    return waitlist.queue(session.registrations.select_related("user", "organization"))


def confirmed_roster(session: Session):
    """The registrations attendance can be marked for (whole rows: the service saves them)."""
    return (
        session.registrations.filter(status="confirmed")
        .select_related("user", "organization")
        .order_by("organization__kind", "organization__code", "user__display_name", "pk")
    )


def transcript(viewer, learner) -> dict:
    """The learner's record as ``viewer`` may see it: an admin sees what the learner did for the
    organisations they administer, not what the learner did for another organisation."""
    return {
        "completions": permissions.visible_completions(viewer)
        .filter(user=learner)
        .select_related("course", "organization", "certificate", "session")
        .order_by("-completed_at"),
        "registrations": permissions.visible_registrations(viewer)
        .filter(user=learner)
        .select_related("session__course", "organization")
        .order_by("-session__starts_at"),
    }


def organization_overview(user, organizations) -> dict:
    ids = [o.pk for o in organizations]
    return {
        "registrations": permissions.visible_registrations(user)
        .filter(organization_id__in=ids)
        .exclude(status="cancelled")
        .select_related("user", "session__course", "organization")
        .order_by("-session__starts_at", "user__display_name"),
        "completions": permissions.visible_completions(user)
        .filter(organization_id__in=ids)
        .select_related("user", "course", "organization", "certificate")
        .order_by("-completed_at"),
    }


def year_export(fiscal_year: int):
    """Sheets for the coordinators' xlsx: attendance and completions of a fiscal year, each a
    generator over one query read in chunks (the number of queries does not grow with the year)."""
    from django.utils.translation import gettext as _

    from portal.core.spreadsheets import iso

    registrations = (
        Registration.objects.filter(session__course__fiscal_year=fiscal_year)
        .exclude(status="cancelled")
        .select_related("session__course", "user", "organization")
        .only(
            "status",
            "attendance",
            "session__label",
            "session__starts_at",
            "session__course__title",
            "user__display_name",
            "user__email",
            "organization__kind",
            "organization__legal_form",
            "organization__name",
            "organization__branch",
        )
        .order_by("session__starts_at", "organization__code", "user__display_name", "pk")
    )
    completions = (
        Completion.objects.filter(course__fiscal_year=fiscal_year)
        .select_related("course", "user", "organization", "certificate")
        .order_by("course__track", "course__number", "completed_at", "pk")
    )

    def attendance_rows():
        for r in registrations.iterator(chunk_size=EXPORT_CHUNK):
            yield [
                r.session.course.title,
                r.session.label,
                iso(r.session.starts_at),
                str(r.organization),
                r.user.get_full_name(),
                r.get_status_display(),
                r.get_attendance_display(),
            ]

    def completion_rows():
        for c in completions.iterator(chunk_size=EXPORT_CHUNK):
            yield [
                c.course.title,
                str(c.organization or ""),
                c.user.get_full_name(),
                iso(c.completed_at),
                getattr(getattr(c, "certificate", None), "number", ""),
            ]

    return [
        (
            _("Attendance"),
            [
                _("Course"),
                _("Session"),
                _("Date"),
                _("Organisation"),
                _("Name"),
                _("Status"),
                _("Attendance"),
            ],
            attendance_rows(),
        ),
        (
            _("Completions"),
            [_("Course"), _("Organisation"), _("Name"), _("Completed on"), _("Certificate number")],
            completion_rows(),
        ),
    ]


def my_upcoming(user):
    return (
        Registration.objects.filter(user=user, session__ends_at__gte=timezone.now())
        .exclude(status="cancelled")
        .select_related("session__course")
        .order_by("session__starts_at")
    )


def next_sessions() -> list[Session]:
    """The next five sessions with their seat counts (coordinators' dashboard): the sessions first,
    then the registrations of those sessions alone counted in one grouping. Joining and grouping the
    sessions with every registration of the upcoming ones took longer to plan than to run."""
    sessions = list(
        Session.objects.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
        .select_related("course")
        .order_by("starts_at")[:5]
    )
    counted = (
        Registration.objects.filter(session__in=[s.pk for s in sessions])
        .order_by()
        .values("session_id")
        .annotate(**_seat_counts())
    )
    counts = {row["session_id"]: row for row in counted} if sessions else {}
    for s in sessions:
        for name in _SEATS:
            setattr(s, name, counts.get(s.pk, {}).get(name, 0))
    return sessions


def certificate_preview(course: Course, session: Session | None) -> dict:
    """What issuing certificates would do now: how many completions can get one, how many wait
    for their session to end, and (for one session) whether it has ended and when it ends."""
    now = timezone.now()
    return {
        "ready": pending_completions(course, session, now=now).count(),
        "waiting": certificates_waiting(course, session),
        "ended": session is None or session.ends_at <= now,
    }


def certificates_waiting(course: Course | int, session: Session | None) -> int:
    """How many completions of the course (of the session, if given) have no certificate yet."""
    waiting = Completion.objects.filter(course=course, certificate__isnull=True)
    if session is not None:
        waiting = waiting.filter(session=session)
    return waiting.count()


def batch_certificates(batch):
    """The certificates a batch issued, for its page and its zip."""
    return batch.certificates.select_related("completion__user", "completion__organization").order_by(
        "serial"
    )


def seat_counts(session: Session) -> dict:
    """Who a cancellation reaches: confirmed, offered and waiting registrations."""
    return session.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        offered=Count("pk", filter=Q(status="offered")),
        waitlisted=Count("pk", filter=Q(status="waitlisted")),
    )


def pending_completions(course: Course, session: Session | None = None, *, now=None):
    """Completions still without a certificate whose session (if any) has ended."""
    now = now or timezone.now()
    qs = Completion.objects.filter(course=course, certificate__isnull=True, completed_at__lte=now).exclude(
        session__ends_at__gt=now
    )
    if session is not None:
        qs = qs.filter(session=session)
    return qs.select_related("course", "user", "organization", "session").order_by("pk")


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------

MAILING_GROUPS = ("confirmed", "waitlisted", "offered", "attended", "absent", "all")


def session_for_mailing(user, pk) -> Session:
    """The session a coordinator writes about (403 for other roles, 404 for a missing one)."""
    return permissions.get_session_for_coordinator(user, pk)


def recipients_for_session(session: Session, group: str) -> list:
    """Who a coordinator's message about ``session`` reaches: querysets of rows ``user_id`` /
    ``organization_id``. ``attended`` / ``absent`` follow the attendance the coordinator marked;
    ``all`` = every live registration (confirmed, offered, waiting)."""
    rows = session.registrations.all()
    if group == "attended":
        rows = rows.filter(status="confirmed", attendance=Registration.Attendance.PRESENT)
    elif group == "absent":
        rows = rows.filter(status="confirmed", attendance=Registration.Attendance.ABSENT)
    elif group == "all":
        rows = rows.exclude(status="cancelled")
    elif group in ("confirmed", "waitlisted", "offered"):
        rows = rows.filter(status=group)
    else:
        raise ValueError(f"unknown group: {group!r}")
    return [rows.values("user_id", "organization_id")]
