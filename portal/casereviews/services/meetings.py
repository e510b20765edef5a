"""Panel meetings: the dates, generating and updating them, the calendar files and the reminders."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import remove_perm

from portal.accounts.permissions import expert_profile
from portal.core import audit, outbox, reminders
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import add_business_days, is_business_day, wareki
from portal.core.exceptions import StaleEdit

from .. import permissions
from ..models import Case, Meeting
from ._common import S, _case_url, _members, _notify, _require_coordinator
from .grants import _grant, _grantees, _refuse_conflicts

# --- meetings ----------------------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[min(nth, len(days)) - 1]


def meeting_dates(
    fiscal_year: int, *, months=(5, 7, 9, 11, 1, 3), weekday: int = 3, nth: int = 2
) -> list[dt.date]:
    """The nth weekday of every other month; moved to the next business day when it falls on a
    holiday (jpholiday) or the year-end closure."""
    dates = []
    for month in months:
        year = fiscal_year if month >= 4 else fiscal_year + 1
        day = _nth_weekday(year, month, weekday, nth)
        if not is_business_day(day):
            day = add_business_days(day, 1)
        dates.append(day)
    return dates


def meetings_generate(
    *,
    actor,
    fiscal_year: int,
    start_time: dt.time = dt.time(14, 0),
    venue: str = "",
    online_url: str = "",
    capacity: int = 3,
    slot_minutes: int = 40,
    weekday: int = 3,
    nth: int = 2,
) -> list[Meeting]:
    _require_coordinator(actor)
    created = []
    with transaction.atomic():
        number = Meeting.objects.filter(fiscal_year=fiscal_year).aggregate(n=Max("number"))["n"] or 0
        existing_days = {
            timezone.localtime(m.starts_at).date() for m in Meeting.objects.filter(fiscal_year=fiscal_year)
        }
        for day in meeting_dates(fiscal_year, weekday=weekday, nth=nth):
            if day in existing_days:
                continue
            number += 1
            meeting = Meeting.objects.create(
                fiscal_year=fiscal_year,
                number=number,
                venue=venue,
                online_url=online_url,
                capacity=capacity,
                slot_minutes=slot_minutes,
                starts_at=timezone.make_aware(dt.datetime.combine(day, start_time)),
            )
            audit.record(actor=actor, action="meeting.create", obj=meeting)
            created.append(meeting)
    return created


def meeting_update(
    *,
    actor,
    meeting: Meeting,
    based_on_version: int,
    starts_at,
    venue: str,
    online_url: str,
    capacity: int,
    panel,
) -> Meeting:
    _require_coordinator(actor)
    if not is_business_day(timezone.localtime(starts_at).date()):
        raise ValidationError(
            _("Meetings are not held on weekends, Japanese holidays or during the year-end closure.")
        )
    for expert in panel:
        profile = expert_profile(expert)
        if profile is None or not profile.panel_discipline:
            raise ValidationError(_("%(name)s is not on the case-review panel.") % {"name": expert})
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)
        booked = Case.objects.filter(meeting=locked).count()
        old_panel = set(locked.panel.values_list("pk", flat=True))
        _refuse_conflicts(
            [u for u in panel if u.pk not in old_panel],
            list(Case.objects.filter(meeting=locked, status__in=[S.SCHEDULED, S.REVIEWED])),
        )
        if capacity < booked:
            raise ValidationError(
                _("%(n)d cases are on the agenda already; the capacity cannot be lower.") % {"n": booked}
            )
        if Case.objects.filter(meeting=locked, slot__gt=capacity).exists():
            raise ValidationError(_("A case sits in a slot beyond the new capacity; move it first."))
        time_changed = (
            locked.starts_at != starts_at or locked.venue != venue or locked.online_url != online_url
        )
        locked.starts_at, locked.venue, locked.online_url, locked.capacity = (
            starts_at,
            venue,
            online_url,
            capacity,
        )
        locked.version += 1
        if time_changed:
            locked.sequence += 1
            locked.reminders_sent = []
        locked.save()
        locked.panel.set(panel)
        new_panel = {u.pk for u in panel}
        cases = list(Case.objects.filter(meeting=locked, status__in=[S.SCHEDULED, S.REVIEWED]))
        for case in cases:
            for expert in panel:
                if expert.pk not in old_panel:
                    _grant(actor, expert, case)
            for user in _grantees(case):
                if user.pk in old_panel and user.pk not in new_panel and user.pk != case.adhoc_expert_id:
                    remove_perm(permissions.READ_CASE, user, case)
                    audit.record(actor=actor, action="case.revoke", obj=case, details={"user": user.pk})
        audit.record(actor=actor, action="meeting.update", obj=locked)
        if time_changed or old_panel != new_panel:
            _send_meeting_update(locked)
    return locked


def meeting_event(meeting: Meeting, *, for_case: Case | None = None) -> CalendarEvent:
    start, end = meeting.starts_at, meeting.ends_at
    if for_case is not None and for_case.slot:
        start = meeting.slot_start(for_case.slot)
        end = start + dt.timedelta(minutes=meeting.slot_minutes)
    where = " / ".join(x for x in (meeting.venue, meeting.online_url) if x)
    return CalendarEvent(
        uid=f"casereview-{meeting.pk}{'-' + str(for_case.pk) if for_case else ''}@hikikomori-portal",
        start=start,
        end=end,
        summary=str(meeting) + (f"（{for_case.reference}）" if for_case else ""),
        description=_("Case-review meeting of the Support Net expert panel"),
        location=where,
        url=settings.SITE_URL
        + (
            reverse("casereviews:case_detail", args=[for_case.pk])
            if for_case
            else reverse("casereviews:meeting_detail", args=[meeting.pk])
        ),
        sequence=meeting.sequence,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    )


def _send_case_invitation(case: Case, template: str) -> None:
    meeting = case.meeting
    if meeting is None or case.slot is None:
        return
    ics = build_ics(meeting_event(meeting, for_case=case))
    for user in _members(case.organization):
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template=template,
            context={
                "case": case,
                "meeting": meeting,
                "slot_start": meeting.slot_start(case.slot),
                "day": wareki(meeting.starts_at, weekday=True),
                "url": _case_url(case),
            },
            attachments=[ics_attachment(ics, "case-review.ics")],
        )


def _send_meeting_update(meeting: Meeting) -> None:
    ics = build_ics(meeting_event(meeting))
    for user in meeting.panel.all():
        outbox.queue_templated_email(
            to=user.email,
            recipient=user,
            template="casereviews/email/meeting_updated",
            context={
                "meeting": meeting,
                "day": wareki(meeting.starts_at, weekday=True),
                "url": reverse("casereviews:meeting_detail", args=[meeting.pk]),
            },
            attachments=[ics_attachment(ics, "case-review.ics")],
        )
    for case in Case.objects.filter(meeting=meeting, attendance__in=["invited", "accepted"]).select_related(
        "organization"
    ):
        _send_case_invitation(case, "casereviews/email/meeting_updated_municipality")


def send_meeting_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    schedule = ((7, "d7"), (1, "d1"))
    first, last = reminders.window(schedule, today)
    for meeting in Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__date__gte=first, starts_at__date__lte=last
    ):
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
            reminder = reminders.due(
                schedule, day=timezone.localdate(locked.starts_at), today=today, sent=locked.reminders_sent
            )
            if reminder is None:
                continue
            _tag, _days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            people = list(locked.panel.all())
            for case in Case.objects.filter(meeting=locked, attendance=Case.Attendance.ACCEPTED):
                people.extend(_members(case.organization))
            title = _("Reminder: %(meeting)s on %(day)s") % {
                "meeting": locked,
                "day": wareki(locked.starts_at, weekday=True),
            }
            _notify(people, title=title, url=reverse("casereviews:meeting_detail", args=[locked.pk]))
            sent += len(people)
    return sent
