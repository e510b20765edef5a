"""Every write of the residents' services: pages, the yearly schedule, applications (web and
phone), assignment, offers from the waiting list, cancellation, attendance, reminders and purge.

Places are counted by the one capacity engine (``portal.core.capacity`` / ``waitlist``): a time of
個別相談 has two pairs, a family seminar 15 seats at the venue and online places without limit.
"""

from __future__ import annotations

import datetime as dt

import jpholiday
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import audit, capacity, outbox, pii, reminders, waitlist
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import (
    add_business_days,
    business_day_on_or_after,
    display,
    fiscal_year_range,
)
from portal.core.exceptions import StaleEdit
from portal.core.models import OutboundEmail, SeatMode, SeatStatus

from . import links
from .models import (
    FREE_DIAL,
    TOKYO,
    VENUE_NAMES,
    Channel,
    ConsultationDay,
    ConsultationSlot,
    IndividualApplication,
    Page,
    PageRevision,
    PeerBooking,
    PeerDay,
    PeerSlot,
    Seminar,
    SeminarApplication,
    SeminarSeat,
    Venue,
    new_nonce,
)

A = IndividualApplication.Status
WEEKDAY_TIMES = [
    (dt.time(10, 0), dt.time(11, 0)),
    (dt.time(11, 15), dt.time(12, 15)),
    (dt.time(13, 15), dt.time(14, 15)),
    (dt.time(14, 30), dt.time(15, 30)),
]
WEEKEND_TIMES = [(dt.time(15, 15), dt.time(16, 15)), (dt.time(16, 30), dt.time(17, 30))]
SEMINAR_TIMES = (dt.time(13, 0), dt.time(15, 0))

PersonalDataFound = pii.PersonalDataFound


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TOKYO)


# --- pages -------------------------------------------------------------------------------------

GUARDED_PAGES = {Page.Kind.CASES}


def page_findings(kind: str, values: dict, confirmed) -> dict[str, list[pii.Finding]]:
    """Personal-data findings in the 相談事例 text that the coordinator has not confirmed keeping."""
    if kind not in GUARDED_PAGES:
        return {}
    found = pii.scan_fields({name: values.get(name) or "" for name in ("title", "lead", "body")})
    open_ = {f: [x for x in items if pii.finding_key(f, x) not in confirmed] for f, items in found.items()}
    return {f: items for f, items in open_.items() if items}


def page_save(*, actor, page: Page, data: dict, based_on_version: int, confirmed=frozenset()) -> Page:
    """Save a page's new text as a revision. A stale version is refused (nothing is overwritten)."""
    findings = page_findings(page.kind, data, set(confirmed))
    if findings:
        raise PersonalDataFound(findings)
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        if locked.version != based_on_version:
            raise StaleEdit(current=locked)  # the view shows the saved text beside what was typed
        for name in ("title", "lead", "body", "publish_from"):
            setattr(locked, name, data.get(name, getattr(locked, name)))
        locked.version += 1
        locked.save()
        PageRevision.objects.create(
            page=locked,
            version=locked.version,
            title=locked.title,
            lead=locked.lead,
            body=locked.body,
            publish_from=locked.publish_from,
            edited_by=actor,
        )
        audit.record(
            actor=actor, action="residents.page_save", obj=locked, details={"version": locked.version}
        )
    return locked


def page_create(*, kind: str, title: str, lead: str, body: str, publish_from=None, actor=None) -> Page:
    page = Page.objects.create(kind=kind, title=title, lead=lead, body=body, publish_from=publish_from)
    PageRevision.objects.create(
        page=page, version=1, title=title, lead=lead, body=body, publish_from=publish_from, edited_by=actor
    )
    return page


# --- the yearly schedule -----------------------------------------------------------------------


def default_deadline(day: dt.date) -> dt.date:
    """Three business days before the day (jpholiday), as the seed's schedules do."""
    return add_business_days(day, -3)


def _nth_weekday_dates(fiscal_year: int, weekday: int, nths: tuple[int, ...]) -> list[dt.date]:
    start, end = fiscal_year_range(fiscal_year)
    out = []
    month = start.replace(day=1)
    while month <= end:
        days = [
            month + dt.timedelta(days=i)
            for i in range(31)
            if (month + dt.timedelta(days=i)).month == month.month
        ]
        hits = [d for d in days if d.weekday() == weekday]
        out += [hits[n - 1] for n in nths if n - 1 < len(hits)]
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def default_schedule(fiscal_year: int) -> list[dict]:
    """The seed's year: 24 weekday days (two a month, 2nd and 4th week, moved to the next business
    day past a holiday) and 12 weekend days (the 3rd Sunday), venues alternating 足立・八王子."""
    rows = []
    weekday = sorted(
        {
            business_day_on_or_after(d)
            for d in _nth_weekday_dates(fiscal_year, 1, (2,)) + _nth_weekday_dates(fiscal_year, 4, (4,))
        }
    )
    for n, day in enumerate(weekday[:24], start=1):
        rows.append(
            {
                "kind": ConsultationDay.Kind.WEEKDAY,
                "number": n,
                "date": day,
                "venue": Venue.ADACHI if n % 2 else Venue.HACHIOJI,
            }
        )
    for n, day in enumerate(_nth_weekday_dates(fiscal_year, 6, (3,))[:12], start=1):
        rows.append(
            {
                "kind": ConsultationDay.Kind.WEEKEND,
                "number": n,
                "date": day,
                "venue": Venue.HACHIOJI if n % 2 else Venue.ADACHI,
            }
        )
    return rows


def day_create(
    *,
    actor,
    fiscal_year: int,
    kind: str,
    number: int,
    date: dt.date,
    venue: str,
    deadline: dt.date | None = None,
) -> ConsultationDay:
    with transaction.atomic():
        day = ConsultationDay.objects.create(
            fiscal_year=fiscal_year,
            kind=kind,
            number=number,
            date=date,
            venue=venue,
            deadline=deadline or default_deadline(date),
        )
        times = WEEKDAY_TIMES if kind == ConsultationDay.Kind.WEEKDAY else WEEKEND_TIMES
        ConsultationSlot.objects.bulk_create(
            [ConsultationSlot(day=day, starts_at=_at(date, a), ends_at=_at(date, b)) for a, b in times]
        )
        audit.record(actor=actor, action="residents.day_create", obj=day)
    return day


def schedule_create(*, actor, fiscal_year: int, with_seminars: bool = True) -> list[ConsultationDay]:
    """Create the year's 36 days (and a family seminar on each weekend day) unless they exist."""
    if ConsultationDay.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(_("The schedule of this year exists already."))
    days = [day_create(actor=actor, fiscal_year=fiscal_year, **row) for row in default_schedule(fiscal_year)]
    if with_seminars:
        for n, day in enumerate([d for d in days if d.kind == ConsultationDay.Kind.WEEKEND], start=1):
            seminar_create(
                actor=actor,
                fiscal_year=fiscal_year,
                number=n,
                date=day.date,
                venue=day.venue,
                theme=_("Theme to be announced"),
                lecturer=_("To be announced"),
                consultation_day=day,
            )
    return days


def seminar_create(
    *,
    actor,
    fiscal_year: int,
    number: int,
    date: dt.date,
    venue: str,
    theme: str,
    lecturer: str,
    consultation_day=None,
    capacity: int = 15,
    online_url: str = "",
) -> Seminar:
    if date.weekday() < 5:
        raise ValidationError({"date": _("Family seminars are held on a Saturday or Sunday.")})
    seminar = Seminar.objects.create(
        fiscal_year=fiscal_year,
        number=number,
        starts_at=_at(date, SEMINAR_TIMES[0]),
        ends_at=_at(date, SEMINAR_TIMES[1]),
        theme=theme,
        lecturer=lecturer,
        venue=venue,
        capacity=capacity,
        online_url=online_url,
        deadline=default_deadline(date),
        consultation_day=consultation_day,
    )
    audit.record(actor=actor, action="residents.seminar_create", obj=seminar)
    return seminar


def seminar_update(*, actor, seminar: Seminar, data: dict) -> Seminar:
    with transaction.atomic():
        locked = Seminar.objects.select_for_update().get(pk=seminar.pk)
        waitlist.check_capacity(
            locked.seats.filter(mode=SeatMode.VENUE), data.get("capacity", locked.capacity)
        )
        for name in ("theme", "lecturer", "capacity", "online_url", "is_published"):
            if name in data:
                setattr(locked, name, data[name])
        locked.save()
        audit.record(actor=actor, action="residents.seminar_update", obj=locked)
    return locked


# --- letters -----------------------------------------------------------------------------------


def _letter(application, template: str, context: dict, *, attachments=None) -> OutboundEmail | None:
    if not application.email:
        return None
    return outbox.queue_templated_email(
        to=application.email,
        template=f"residents/email/{template}",
        context={
            "application": application,
            "manage_url": links.manage_url(application),
            "free_dial": FREE_DIAL,
            **context,
        },
        attachments=attachments,
        language="ja",
    )


def slot_event(application: IndividualApplication) -> CalendarEvent:
    slot = application.slot
    return CalendarEvent(
        uid=f"residents-individual-{application.pk}@hikikomori-support-net",
        start=slot.starts_at,
        end=slot.ends_at,
        summary="個別相談（東京都ひきこもりサポートネット）",
        location=VENUE_NAMES[slot.day.venue],
        description=f"受付番号 {application.reference}　変更・取消し：{FREE_DIAL}",
        cancelled=application.status == A.CANCELLED,
    )


def seat_event(seat: SeminarSeat) -> CalendarEvent:
    s = seat.seminar
    online = seat.mode == SeatMode.ONLINE
    return CalendarEvent(
        uid=f"residents-seminar-{seat.pk}@hikikomori-support-net",
        start=s.starts_at,
        end=s.ends_at,
        summary=f"家族セミナー「{s.theme}」",
        location="オンライン（Zoom）" if online else VENUE_NAMES[s.venue],
        description=f"講師：{s.lecturer}",
        cancelled=seat.status == SeatStatus.CANCELLED,
    )


# --- 個別相談: applications --------------------------------------------------------------------

INDIVIDUAL_FIELDS = [
    "name",
    "name_kana",
    "municipality",
    "phone",
    "email",
    "relationship",
    "subject_municipality",
    "subject_age",
    "subject_gender",
]


def open_slot_problem(slot: ConsultationSlot, *, now=None, staff=False) -> str | None:
    now = now or timezone.now()
    if slot.starts_at <= now:
        return _("This time has passed.")
    if not staff and not slot.day.is_open(now):
        return _("Applications for this day closed at 17:00 on %(day)s.") % {
            "day": display(slot.day.deadline)
        }
    return None


def individual_apply(
    *, data: dict, preferences: list[ConsultationSlot], channel: str = Channel.WEB, actor=None, now=None
) -> IndividualApplication:
    """A web or phone application with up to three preferred times. Nothing is booked yet: the
    secretariat assigns a time from the preferences. The applicant gets a receipt letter."""
    staff = channel != Channel.WEB
    if not preferences or len(preferences) > 3 or len(set(p.pk for p in preferences)) != len(preferences):
        raise ValidationError(_("Choose one to three different times."))
    for slot in preferences:
        if problem := open_slot_problem(slot, now=now, staff=staff):
            raise ValidationError(problem)
    with transaction.atomic():
        application = IndividualApplication(channel=channel, entered_by=actor)
        for name in INDIVIDUAL_FIELDS:
            setattr(application, name, data.get(name) or ("" if name != "subject_age" else None))
        application.preference1 = preferences[0]
        application.preference2 = preferences[1] if len(preferences) > 1 else None
        application.preference3 = preferences[2] if len(preferences) > 2 else None
        application.save()
        audit.record(
            actor=actor, action="residents.individual_apply", obj=application, details={"channel": channel}
        )
        _letter(application, "individual_received", {"preferences": preferences})
    return application


def _slot_place(slot: ConsultationSlot) -> waitlist.Place:
    return waitlist.Place(
        key=slot.capacity_key, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=ConsultationSlot.PAIRS
    )


def _locked_individual(application) -> IndividualApplication:
    return (
        IndividualApplication.objects.select_for_update(of=("self",))
        .select_related("slot__day", "reservation")
        .get(pk=application.pk)
    )


class SlotFull(ValidationError):
    pass


def individual_assign(
    *,
    actor,
    application: IndividualApplication,
    slot: ConsultationSlot,
    told_by: str = Channel.MAIL,
    offer: bool = False,
) -> IndividualApplication:
    """Give the application a time: one of its preferences (confirmed at once) or, with
    ``offer``, another time proposed to the applicant and held for ``RESIDENTS_OFFER_HOURS``.
    Raises SlotFull when both pairs of that time are taken (never oversold)."""
    with transaction.atomic():
        locked = _locked_individual(application)
        if locked.status in (A.CONFIRMED, A.CANCELLED, A.DECLINED) or locked.purged_at:
            raise ValidationError(_("This application has been dealt with already."))
        if slot.starts_at <= timezone.now():
            raise ValidationError(_("This time has passed."))
        if locked.reservation is not None:  # an earlier offer is replaced
            capacity.release(locked.reservation)
        try:
            held = capacity.hold(
                key=slot.capacity_key,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                capacity=ConsultationSlot.PAIRS,
                minutes=settings.RESIDENTS_OFFER_HOURS * 60,
            )
        except capacity.Full as exc:
            raise SlotFull(_("Both pairs of this time are taken. Choose another time.")) from exc
        locked.slot = slot
        if offer:
            locked.status, locked.reservation, locked.offer_expires_at = A.OFFERED, held, held.held_until
        else:
            locked.status, locked.reservation, locked.offer_expires_at = (
                A.CONFIRMED,
                capacity.book(held),
                None,
            )
        locked.told_by = told_by
        locked.save(update_fields=["slot", "status", "reservation", "offer_expires_at", "told_by"])
        audit.record(
            actor=actor,
            action="residents.individual_offer" if offer else "residents.individual_assign",
            obj=locked,
            details={"slot": slot.pk},
        )
        if told_by == Channel.MAIL:
            _tell_individual(locked)
    return locked


def _tell_individual(application: IndividualApplication) -> None:
    if application.status == A.CONFIRMED:
        ics = build_ics(slot_event(application))
        _letter(
            application,
            "individual_confirmed",
            {"slot": application.slot},
            attachments=[ics_attachment(ics, "kobetsu-soudan.ics")],
        )
    elif application.status == A.OFFERED:
        _letter(
            application,
            "individual_offer",
            {"slot": application.slot, "expires": application.offer_expires_at},
        )


def individual_waitlist(*, actor, application: IndividualApplication) -> IndividualApplication:
    """No preferred time has room: the application waits, and a freed place is offered to it."""
    with transaction.atomic():
        locked = _locked_individual(application)
        if locked.status != A.RECEIVED:
            raise ValidationError(_("Only a received application can wait for a place."))
        locked.status = A.WAITLISTED
        locked.save(update_fields=["status"])
        audit.record(actor=actor, action="residents.individual_waitlist", obj=locked)
        _letter(locked, "individual_waiting", {})
    return locked


def individual_decline(*, actor, application: IndividualApplication, told_by: str = Channel.MAIL):
    with transaction.atomic():
        locked = _locked_individual(application)
        if locked.status in (A.CONFIRMED, A.CANCELLED, A.DECLINED):
            raise ValidationError(_("This application has been dealt with already."))
        if locked.reservation is not None:
            capacity.release(locked.reservation)
        locked.status, locked.told_by, locked.offer_expires_at = A.DECLINED, told_by, None
        locked.save(update_fields=["status", "told_by", "offer_expires_at"])
        audit.record(actor=actor, action="residents.individual_decline", obj=locked)
        if told_by == Channel.MAIL:
            _letter(locked, "individual_declined", {})
    return locked


def individual_accept(*, application: IndividualApplication, actor=None) -> IndividualApplication:
    """The applicant (through the signed link) or the secretariat accepts an offered time."""
    with transaction.atomic():
        locked = _locked_individual(application)
        waitlist.accept(locked)
        locked.nonce = new_nonce()
        locked.save(update_fields=["nonce"])
        audit.record(actor=actor, action="residents.individual_accept", obj=locked)
        _tell_individual(locked)
    return locked


def _offer_freed(slot: ConsultationSlot) -> IndividualApplication | None:
    """A freed place goes, for a limited time, to the first waiting application that chose it."""
    waiting = IndividualApplication.objects.filter(status=A.WAITLISTED, purged_at__isnull=True).filter(
        models_q_pref(slot)
    )
    nxt = waitlist.offer_next(_slot_place(slot), waiting, hours=settings.RESIDENTS_OFFER_HOURS)
    if nxt is None:
        return None
    nxt.slot = slot
    nxt.save(update_fields=["slot"])
    audit.record(actor=None, action="residents.individual_offer", obj=nxt, details={"slot": slot.pk})
    _tell_individual(nxt)
    return nxt


def models_q_pref(slot: ConsultationSlot):
    from django.db.models import Q

    return Q(preference1=slot) | Q(preference2=slot) | Q(preference3=slot)


def individual_cancel(*, application: IndividualApplication, actor=None) -> IndividualApplication:
    """Cancelled by the applicant's link or by the secretariat; the place goes to the next one."""
    with transaction.atomic():
        locked = _locked_individual(application)
        slot = locked.slot if locked.status in (A.CONFIRMED, A.OFFERED) else None
        if locked.status in (A.CANCELLED, A.DECLINED):
            return locked
        waitlist.give_up(locked)
        locked.nonce = new_nonce()  # the link has done its one job
        locked.save(update_fields=["nonce"])
        audit.record(actor=actor, action="residents.individual_cancel", obj=locked)
        _letter(locked, "individual_cancelled", {"slot": slot})
        if slot is not None:
            _offer_freed(slot)
    return locked


def individual_attendance(*, actor, application: IndividualApplication, attendance: str, now=None):
    now = now or timezone.now()
    if application.status != A.CONFIRMED or application.slot is None:
        raise ValidationError(_("Only confirmed applications have an attendance."))
    if application.slot.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the time has begun."))
    if attendance not in IndividualApplication.Attendance.values:
        raise ValidationError(_("Choose what happened."))
    with transaction.atomic():
        locked = _locked_individual(application)
        locked.attendance = attendance
        locked.save(update_fields=["attendance"])
        audit.record(
            actor=actor,
            action="residents.individual_attendance",
            obj=locked,
            details={"attendance": attendance},
        )
    return locked


def expire_individual_offers(*, now=None) -> int:
    def lapsed(app):
        audit.record(actor=None, action="residents.individual_offer_lapsed", obj=app)

    def promote(app):
        if app.slot is not None:
            with transaction.atomic():
                _offer_freed(app.slot)

    return waitlist.expire_lapsed(IndividualApplication, on_lapsed=lapsed, promote=promote, now=now)


# --- 家族セミナー -------------------------------------------------------------------------------

SEMINAR_FIELDS = ["name", "name_kana", "municipality", "phone", "email"]


def _seminar_places(seminar: Seminar) -> dict[str, waitlist.Place]:
    return waitlist.places(
        seminar.capacity_key,
        seminar.starts_at,
        seminar.ends_at,
        venue=seminar.capacity,
        online=None if seminar.online else 0,
    )


def seminar_apply(
    *, data: dict, seminars: list[Seminar], mode: str, channel: str = Channel.WEB, actor=None, now=None
) -> SeminarApplication:
    """One application for several seminars: a seat at each (or a place on its waiting list)."""
    now = now or timezone.now()
    if not seminars:
        raise ValidationError(_("Choose at least one seminar."))
    for seminar in seminars:
        if channel == Channel.WEB and not seminar.is_open(now):
            raise ValidationError(_("Applications for this seminar are closed."))
        if not waitlist.offers_mode(None if seminar.online else 0, mode):
            raise waitlist.mode_refused(mode)
    with transaction.atomic():
        application = SeminarApplication(channel=channel, entered_by=actor)
        for name in SEMINAR_FIELDS:
            setattr(application, name, data.get(name) or "")
        application.save()
        seats = []
        for seminar in sorted(seminars, key=lambda s: s.starts_at):
            Seminar.objects.select_for_update().get(pk=seminar.pk)
            seat = SeminarSeat(application=application, seminar=seminar, mode=mode)
            waitlist.seat(seat, _seminar_places(seminar)[mode], holder=None)
            seat.save()
            seats.append(seat)
        audit.record(
            actor=actor,
            action="residents.seminar_apply",
            obj=application,
            details={"seminars": [s.pk for s in seminars], "mode": mode},
        )
        confirmed = [s for s in seats if s.status == SeatStatus.CONFIRMED]
        ics = build_ics(*[seat_event(s) for s in confirmed]) if confirmed else None
        _letter(
            application,
            "seminar_received",
            {"seats": seats},
            attachments=[ics_attachment(ics, "kazoku-seminar.ics")] if ics else None,
        )
    return application


def _offer_seminar(seminar: Seminar, mode: str) -> SeminarSeat | None:
    waiting = SeminarSeat.objects.filter(seminar=seminar, mode=mode, application__purged_at__isnull=True)
    nxt = waitlist.offer_next(_seminar_places(seminar)[mode], waiting, hours=settings.RESIDENTS_OFFER_HOURS)
    if nxt is not None:
        audit.record(actor=None, action="residents.seminar_offer", obj=nxt.application)
        _letter(nxt.application, "seminar_offer", {"seat": nxt})
    return nxt


def seminar_seat_cancel(*, seat: SeminarSeat, actor=None) -> SeminarSeat:
    with transaction.atomic():
        Seminar.objects.select_for_update().get(pk=seat.seminar_id)
        locked = (
            SeminarSeat.objects.select_for_update(of=("self",))
            .select_related("seminar", "reservation", "application")
            .get(pk=seat.pk)
        )
        held = locked.status in (SeatStatus.CONFIRMED, SeatStatus.OFFERED)
        if not waitlist.give_up(locked):
            return locked
        audit.record(
            actor=actor,
            action="residents.seminar_cancel",
            obj=locked.application,
            details={"seminar": locked.seminar_id},
        )
        if held:
            _offer_seminar(locked.seminar, locked.mode)
    return locked


def seminar_application_cancel(*, application: SeminarApplication, actor=None) -> SeminarApplication:
    for seat in application.seats.exclude(status=SeatStatus.CANCELLED):
        seminar_seat_cancel(seat=seat, actor=actor)
    with transaction.atomic():
        locked = SeminarApplication.objects.select_for_update().get(pk=application.pk)
        locked.nonce = new_nonce()
        locked.save(update_fields=["nonce"])
        _letter(locked, "seminar_cancelled", {"seats": list(locked.seats.select_related("seminar"))})
    return locked


def seminar_seat_accept(*, seat: SeminarSeat, actor=None) -> SeminarSeat:
    with transaction.atomic():
        locked = (
            SeminarSeat.objects.select_for_update(of=("self",))
            .select_related("seminar", "reservation", "application")
            .get(pk=seat.pk)
        )
        waitlist.accept(locked)
        audit.record(actor=actor, action="residents.seminar_accept", obj=locked.application)
        ics = build_ics(seat_event(locked))
        _letter(
            locked.application,
            "seminar_confirmed",
            {"seat": locked},
            attachments=[ics_attachment(ics, "kazoku-seminar.ics")],
        )
    return locked


def seminar_attendance(*, actor, seat: SeminarSeat, attended: bool, now=None) -> SeminarSeat:
    now = now or timezone.now()
    if seat.status != SeatStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed seats have an attendance."))
    if seat.seminar.starts_at > now:
        raise ValidationError(_("Attendance can be recorded once the seminar has begun."))
    SeminarSeat.objects.filter(pk=seat.pk).update(attended=attended)
    audit.record(
        actor=actor,
        action="residents.seminar_attendance",
        obj=seat.application,
        details={"seminar": seat.seminar_id, "attended": attended},
    )
    seat.attended = attended
    return seat


def expire_seminar_offers(*, now=None) -> int:
    def lapsed(seat):
        audit.record(actor=None, action="residents.seminar_offer_lapsed", obj=seat.application)

    def promote(seat):
        with transaction.atomic():
            Seminar.objects.select_for_update().get(pk=seat.seminar_id)
            _offer_seminar(seat.seminar, seat.mode)

    return waitlist.expire_lapsed(SeminarSeat, on_lapsed=lapsed, promote=promote, now=now)


# --- reminders ---------------------------------------------------------------------------------

REMINDERS = (("d3", 3), ("d1", 1))


# 3 days and 1 day before, by the one reminder rule of the portal (core.reminders: late-safe, the
# nearest of several missed ones only, nothing on the day itself).
REMINDERS = ((3, "d3"), (1, "d1"))


def _due_reminder(sent: list, day: dt.date, today: dt.date) -> list[str] | None:
    """The tags to record if a reminder is owed today, else None."""
    due = reminders.due(REMINDERS, day=day, today=today, sent=sent)
    return None if due is None else due[2]


def send_reminders(*, today: dt.date | None = None) -> int:
    """3 days and 1 day before: each confirmed individual consultation and seminar seat, once."""
    today = today or timezone.localdate()
    sent = 0
    horizon = today + dt.timedelta(days=3)
    for pk in IndividualApplication.objects.filter(
        status=A.CONFIRMED, slot__day__date__gte=today, slot__day__date__lte=horizon, purged_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            app = _locked_individual(IndividualApplication(pk=pk))
            if app.status != A.CONFIRMED or app.slot is None:
                continue
            key = _due_reminder(app.reminders_sent, app.slot.day.date, today)
            if key is None:
                continue
            app.reminders_sent = key
            app.save(update_fields=["reminders_sent"])
            if _letter(
                app, "individual_reminder", {"slot": app.slot, "days": (app.slot.day.date - today).days}
            ):
                sent += 1
    for pk in SeminarSeat.objects.filter(
        status=SeatStatus.CONFIRMED,
        seminar__starts_at__date__gte=today,
        seminar__starts_at__date__lte=horizon,
        application__purged_at__isnull=True,
    ).values_list("pk", flat=True):
        with transaction.atomic():
            seat = (
                SeminarSeat.objects.select_for_update(of=("self",))
                .select_related("seminar", "application")
                .get(pk=pk)
            )
            if seat.status != SeatStatus.CONFIRMED:
                continue
            days_left = (timezone.localtime(seat.seminar.starts_at).date() - today).days
            key = _due_reminder(seat.reminders_sent, today + dt.timedelta(days=days_left), today)
            if key is None:
                continue
            seat.reminders_sent = key
            seat.save(update_fields=["reminders_sent"])
            if _letter(seat.application, "seminar_reminder", {"seat": seat, "days": days_left}):
                sent += 1
    return sent


# --- purge -------------------------------------------------------------------------------------


def _retention_limit(now) -> dt.date:
    return timezone.localtime(now).date() - dt.timedelta(days=settings.RESIDENTS_RETENTION_DAYS)


def individual_purge_candidates(*, now=None):
    """Applications whose last possible day lies more than the retention period back."""
    now = now or timezone.now()
    limit = _retention_limit(now)
    from django.db.models.functions import Coalesce, Greatest

    return (
        IndividualApplication.objects.filter(purged_at__isnull=True)
        .annotate(
            last=Greatest(
                Coalesce("slot__day__date", "preference1__day__date"),
                Coalesce("preference2__day__date", "preference1__day__date"),
                Coalesce("preference3__day__date", "preference1__day__date"),
            )
        )
        .filter(last__lt=limit)
    )


def seminar_purge_candidates(*, now=None):
    now = now or timezone.now()
    limit = _retention_limit(now)
    from django.db.models import Max

    return (
        SeminarApplication.objects.filter(purged_at__isnull=True)
        .annotate(last=Max("seats__seminar__starts_at__date"))
        .filter(last__lt=limit)
    )


PERSON_FIELDS = ["name", "name_kana", "municipality", "phone", "email", "note"]


def _clear_copies(application) -> None:
    """The letters sent to the applicant are the only other copy of their name and address."""
    if application.email:
        OutboundEmail.objects.filter(to=application.email).delete()


def individual_purge(application, *, actor=None) -> None:
    """Blank everything that describes the person; the counts (relationship, age, municipality of
    the person's residence are kept only as the yearly statistics need them: as blanks here)."""
    with transaction.atomic():
        locked = IndividualApplication.objects.select_for_update().get(pk=application.pk)
        if locked.purged_at:
            return
        _clear_copies(locked)
        for name in PERSON_FIELDS + ["subject_municipality", "subject_gender"]:
            setattr(locked, name, "")
        locked.subject_age = None
        locked.purged_at = timezone.now()
        locked.save()
        audit.record(actor=actor, action="residents.individual_purge", obj=locked)


def seminar_purge(application, *, actor=None) -> None:
    with transaction.atomic():
        locked = SeminarApplication.objects.select_for_update().get(pk=application.pk)
        if locked.purged_at:
            return
        _clear_copies(locked)
        for name in PERSON_FIELDS:
            setattr(locked, name, "")
        locked.purged_at = timezone.now()
        locked.save()
        audit.record(actor=actor, action="residents.seminar_purge", obj=locked)


def purge_due(*, now=None) -> dict[str, int]:
    """The three residents' kinds through the one purge engine (core.purge; its nightly task runs
    them with every other kind); the counts also go to the audit log under the residents' name."""
    from portal.core import purge as purge_engine

    counts = {
        short: purge_engine.run_kind(f"residents.{short}", now=now)
        for short in ("individual", "seminar", "peer")
    }
    audit.record(actor=None, action="residents.purge", details=counts)
    return counts


# --- ピアオンライン相談 (booked by the secretariat) -------------------------------------------------

PEER_TIMES = WEEKDAY_TIMES  # four pairs a day, about an hour each


def peer_schedule_create(*, actor, fiscal_year: int, weekday: int = 3) -> list[PeerDay]:
    """Weekly days (R7: once a week, Thursdays), family and self peer supporters by turns; a
    public holiday is skipped."""
    start, end = fiscal_year_range(fiscal_year)
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    made = []
    with transaction.atomic():
        while day <= end:
            if not jpholiday.is_holiday(day) and not PeerDay.objects.filter(date=day).exists():
                kind = PeerDay.Kind.FAMILY if len(made) % 2 == 0 else PeerDay.Kind.SELF
                peer_day = PeerDay.objects.create(fiscal_year=fiscal_year, date=day, kind=kind)
                PeerSlot.objects.bulk_create(
                    [
                        PeerSlot(day=peer_day, starts_at=_at(day, a), ends_at=_at(day, b))
                        for a, b in PEER_TIMES
                    ]
                )
                made.append(peer_day)
            day += dt.timedelta(days=7)
        audit.record(
            actor=actor, action="residents.peer_schedule_create", details={"fiscal_year": fiscal_year}
        )
    return made


def peer_book(*, actor, slot: PeerSlot, data: dict) -> PeerBooking:
    """One pair per time, taken under the capacity engine's lock (never two bookings of a time)."""
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This time has passed."))
    with transaction.atomic():
        try:
            held = capacity.hold(
                key=slot.capacity_key, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=1
            )
        except capacity.Full as exc:
            raise SlotFull(_("This time is booked already. Choose another time.")) from exc
        booking = PeerBooking.objects.create(
            slot=slot,
            reservation=capacity.book(held),
            entered_by=actor,
            **{k: data.get(k) or "" for k in ("nickname", "phone", "email", "mode", "note")},
        )
        audit.record(actor=actor, action="residents.peer_book", obj=booking)
        if booking.email:
            ics = build_ics(peer_event(booking))
            outbox.queue_templated_email(
                to=booking.email,
                template="residents/email/peer_confirmed",
                language="ja",
                context={"booking": booking, "free_dial": FREE_DIAL},
                attachments=[ics_attachment(ics, "peer-soudan.ics")],
            )
    return booking


def peer_event(booking: PeerBooking) -> CalendarEvent:
    return CalendarEvent(
        uid=f"residents-peer-{booking.pk}@hikikomori-support-net",
        start=booking.slot.starts_at,
        end=booking.slot.ends_at,
        summary="ピアオンライン相談（東京都ひきこもりサポートネット）",
        location="オンライン" if booking.mode == PeerBooking.Mode.ONLINE else "お電話",
        cancelled=booking.status == PeerBooking.Status.CANCELLED,
    )


def peer_cancel(*, actor, booking: PeerBooking) -> PeerBooking:
    with transaction.atomic():
        locked = PeerBooking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == PeerBooking.Status.CANCELLED:
            return locked
        if locked.reservation_id:
            capacity.release(locked.reservation)
        locked.status = PeerBooking.Status.CANCELLED
        locked.save(update_fields=["status"])
        audit.record(actor=actor, action="residents.peer_cancel", obj=locked)
    return locked


def send_peer_reminders(*, today: dt.date | None = None) -> int:
    """3 days and 1 day before, once each, late-safe (as the other services)."""
    today = today or timezone.localdate()
    sent = 0
    for pk in PeerBooking.objects.filter(
        status=PeerBooking.Status.CONFIRMED,
        slot__day__date__gte=today,
        slot__day__date__lte=today + dt.timedelta(days=3),
        purged_at__isnull=True,
    ).values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                PeerBooking.objects.select_for_update(of=("self",)).select_related("slot__day").get(pk=pk)
            )
            key = _due_reminder(booking.reminders_sent, booking.slot.day.date, today)
            if key is None or booking.status != PeerBooking.Status.CONFIRMED:
                continue
            booking.reminders_sent = key
            booking.save(update_fields=["reminders_sent"])
            if booking.email:
                outbox.queue_templated_email(
                    to=booking.email,
                    template="residents/email/peer_reminder",
                    language="ja",
                    context={"booking": booking, "free_dial": FREE_DIAL},
                )
                sent += 1
    return sent


def peer_purge_candidates(*, now=None):
    now = now or timezone.now()
    return PeerBooking.objects.filter(purged_at__isnull=True, slot__day__date__lt=_retention_limit(now))


def peer_purge(booking, *, actor=None) -> None:
    with transaction.atomic():
        locked = PeerBooking.objects.select_for_update().get(pk=booking.pk)
        if locked.purged_at:
            return
        _clear_copies(locked)
        locked.nickname = locked.phone = locked.email = locked.note = ""
        locked.purged_at = timezone.now()
        locked.save()
        audit.record(actor=actor, action="residents.peer_purge", obj=locked)
