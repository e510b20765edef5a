from django.db import connection
from django.db.models import Avg, Count, Q
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in
from portal.accounts.selectors import PERSON_AT_ORGANISATION
from portal.core import waitlist
from portal.core.paging import count_per_row

from . import permissions
from .models import Event, Registration


def events_for(user):
    """Meetings the person may see: coordinators all, others those whose audience includes one of
    their organisation kinds, newest first, with the number of confirmed venue seats (counted per row
    shown, so a page of a long list does not aggregate every registration)."""
    confirmed = Registration.objects.filter(status="confirmed", mode="venue")
    events = Event.objects.order_by("-starts_at", "-pk").annotate(confirmed=count_per_row(confirmed, "event"))
    if is_coordinator(user):
        return events
    kinds = {m.organization.kind for m in active_memberships(user)}
    if not kinds:
        return events.none()
    if connection.features.supports_json_field_contains:
        audience = Q()
        for kind in kinds:
            audience |= Q(audience__contains=[kind])
        return events.filter(audience)
    # SQLite cannot look inside a JSON list: decide on the two small columns, filter by id.
    ids = [pk for pk, aud in Event.objects.values_list("pk", "audience") if kinds & set(aud or ())]
    return events.filter(pk__in=ids)


LIST_COLUMNS = ("kind", "title", "starts_at", "ends_at", "capacity", "online_capacity", "cancelled_at")


def upcoming_and_past(user, *, now=None):
    """The meetings the person may see, split: upcoming (soonest first) and ended (latest first),
    as querysets for the list's pages."""
    now = now or timezone.now()
    events = events_for(user).only(*LIST_COLUMNS)
    upcoming = events.filter(ends_at__gt=now).order_by("starts_at", "pk")
    past = events.filter(ends_at__lte=now)  # events_for orders newest first
    return upcoming, past


def own_application(user, event: Event, organization):
    """The exhibitor application of the organisation the person acts for, if any."""
    if organization is None or membership_in(user, organization.pk) is None:
        return None
    return event.exhibitors.filter(organization=organization).first()


def colleagues_to_register(user, event: Event):
    """Colleagues an organisation admin may register, or None when the person is no admin."""
    org = permissions.eligible_organization(user, event)
    if org is None:
        return None
    m = membership_in(user, org.pk)
    if not (m and m.is_admin):
        return None
    return User.objects.filter(memberships__organization=org, memberships__is_active=True).exclude(pk=user.pk)


def event_page(user, event: Event) -> dict:
    """Everything the meeting page shows this person (own and own-organisation rows only)."""
    coordinator = is_coordinator(user)
    org_ids = [m.organization_id for m in active_memberships(user)]
    attendee = permissions.is_attendee(user, event)
    mine = Registration.objects.filter(event=event, user=user).exclude(status="cancelled").first()
    admin_org_ids = [m.organization_id for m in active_memberships(user) if m.is_admin]
    return {
        "mine": mine,
        "mine_position": waiting_position(mine) if mine else None,
        "org_registrations": permissions.visible_registrations(user)
        .filter(event=event, organization_id__in=org_ids)
        .exclude(status="cancelled")
        .select_related("user"),
        "admin_org_ids": admin_org_ids,
        "seats": seats_by_mode(event),
        "attendee": attendee,
        "materials": event.materials.all() if (attendee or coordinator) else [],
        "library": library_materials(user, event) if (attendee or coordinator) else [],
        "programme": event.programme.all(),
        "exhibitors": exhibitors(event)
        if coordinator
        else event.exhibitors.filter(organization_id__in=org_ids),
        "proposals": event.proposals.select_related("organization")
        if coordinator
        else event.proposals.filter(user=user),
        "survey": Registration.objects.filter(event=event, survey__isnull=False).aggregate(
            n=Count("pk"), avg=Avg("survey__rating")
        )
        if coordinator
        else None,
    }


def waiting_position(registration: Registration) -> int | None:
    """「キャンセル待ち3番目」: the place in the waiting list of the registration's own mode."""
    return waitlist.position(
        registration, Registration.objects.filter(event_id=registration.event_id, mode=registration.mode)
    )


def seats_by_mode(event: Event) -> dict:
    """Seats given and people waiting, per attendance mode, in one query."""
    counts = event.registrations.aggregate(
        venue=Count("pk", filter=Q(status="confirmed", mode="venue")),
        online=Count("pk", filter=Q(status="confirmed", mode="online")),
        venue_waiting=Count("pk", filter=Q(status="waitlisted", mode="venue")),
        online_waiting=Count("pk", filter=Q(status="waitlisted", mode="online")),
    )
    return counts


# What an attendance line shows (page, PDF, export): a fair of 500 reads no other column.
ATTENDANCE_COLUMNS = (
    "event_id",
    "status",
    "mode",
    "accessibility",
    "checked_in_at",
    "created_at",
    *PERSON_AT_ORGANISATION,
)


def attendance(event: Event, *, query: str = ""):
    """Confirmed registrations for the attendance list; ``query`` finds people by name, e-mail or
    organisation (the check-in desk's search)."""
    rows = event.registrations.filter(status="confirmed")
    if query:
        rows = rows.filter(
            Q(user__display_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organization__name__icontains=query)
        )
    return (
        rows.select_related("user", "organization")
        .only(*ATTENDANCE_COLUMNS)
        .order_by("organization__kind", "organization__code", "user__display_name", "pk")
    )


def waiting_list(event: Event):
    """The meeting's waiting list in the order seats are offered."""
    from portal.core import waitlist

    return waitlist.queue(event.registrations.select_related("user", "organization"))


def exhibitors(event: Event):
    """A fair's exhibitor applications as the coordinators' meeting page lists them."""
    return event.exhibitors.select_related("organization", "applied_by").order_by("created_at", "pk")


def library_materials(user, event: Event):
    """Documents of the materials library addressed to this meeting's attendees."""
    from portal.guidebook.selectors import materials_for

    return materials_for(user).filter(audience="event", event=event)


def attended_events(user):
    """Ids of the meetings the person attends (a confirmed seat), for attendee-only material."""
    return permissions.attended_events(user)


def approved_exhibitors(event: Event):
    return (
        event.exhibitors.filter(status="approved")
        .select_related("organization")
        .order_by("organization__name")
    )


def seat_counts(event: Event) -> dict:
    """Who a cancellation reaches: confirmed, offered and waiting registrations."""
    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status="confirmed")),
        offered=Count("pk", filter=Q(status="offered")),
        waitlisted=Count("pk", filter=Q(status="waitlisted")),
    )


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------

MAILING_GROUPS = ("confirmed", "waitlisted", "offered", "attended", "absent", "all")


def event_for_mailing(user, pk) -> Event:
    """The meeting a coordinator writes about (403 for other roles, 404 for a missing one)."""
    return permissions.get_event_for_coordinator(user, pk)


def recipients_for_event(event: Event, group: str) -> list:
    """Who a coordinator's message about ``event`` reaches: querysets of rows ``user_id`` /
    ``organization_id`` (the organisation each person registered through). ``attended`` = checked
    in; ``absent`` = confirmed, not checked in, and the meeting has ended; ``all`` = every live
    registration (confirmed, offered, waiting)."""
    rows = event.registrations.all()
    if group == "attended":
        rows = rows.filter(status="confirmed", checked_in_at__isnull=False)
    elif group == "absent":
        rows = rows.filter(status="confirmed", checked_in_at__isnull=True, event__ends_at__lte=timezone.now())
    elif group == "all":
        rows = rows.exclude(status="cancelled")
    elif group in ("confirmed", "waitlisted", "offered"):
        rows = rows.filter(status=group)
    else:
        raise ValueError(f"unknown group: {group!r}")
    return [rows.values("user_id", "organization_id")]
