"""Every write of exchange meetings and fairs. Seats go through the one capacity engine."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Organization
from portal.accounts.permissions import is_coordinator, membership_in, require_coordinator
from portal.core import attachments_text, audit, calendars, outbox, pii, reminders, uploads, waitlist
from portal.core import registrations as engine
from portal.core.calendars import CalendarEvent, build_ics, ics_attachment
from portal.core.dates import display, wareki

from .models import (
    Event,
    ExhibitorApplication,
    Material,
    PresentationProposal,
    ProgrammeItem,
    Registration,
    SurveyResponse,
)
from .permissions import can_manage_registration, eligible_organization

R = Registration.Status
M = Registration.Mode


PersonalDataFound = pii.PersonalDataFound
_require_coordinator = require_coordinator


def _url(event) -> str:
    return reverse("meetings:event_detail", args=[event.pk])


def event_calendar(event: Event) -> CalendarEvent:
    return CalendarEvent(
        uid=f"event-{event.pk}@hikikomori-portal",
        start=event.starts_at,
        end=event.ends_at,
        summary=event.title,
        description=event.description,
        location=" / ".join(x for x in (event.venue, event.online_url) if x),
        url=settings.SITE_URL + _url(event),
        sequence=event.sequence,
    )


def _places(event: Event) -> dict[str, waitlist.Place]:
    """The event's places per attendance mode (venue, online), each its own capacity resource."""
    return waitlist.places(
        event.capacity_key, event.starts_at, event.ends_at, venue=event.capacity, online=event.online_capacity
    )


def _mail(registration: Registration, template: str, *, ics: bool = False, extra=None):
    event = registration.event
    attachments = [ics_attachment(build_ics(event_calendar(event)), "event.ics")] if ics else None
    outbox.queue_templated_email(
        to=registration.user.email,
        recipient=registration.user,
        template=template,
        attachments=attachments,
        context={
            "event": event,
            "registration": registration,
            "day": wareki(event.starts_at, weekday=True),
            "url": _url(event),
            **(extra or {}),
        },
    )


def event_create(*, actor, **fields) -> Event:
    _require_coordinator(actor)
    with transaction.atomic():
        event = Event.objects.create(created_by=actor, **fields)
        audit.record(actor=actor, action="event.create", obj=event)
    return event


def event_series_create(*, actor, occurrences: list[dict], **fields) -> list[Event]:
    """Create one meeting per date of a series (the same time, venue and places), all or none."""
    _require_coordinator(actor)
    with transaction.atomic():
        events = [Event.objects.create(created_by=actor, **fields, **when) for when in occurrences]
        for event in events:
            audit.record(actor=actor, action="event.create", obj=event, details={"series": len(events)})
    return events


COPIED_FIELDS = (
    "kind",
    "title",
    "area",
    "venue",
    "online_url",
    "audience",
    "capacity",
    "online_capacity",
    "per_organization",
    "description",
    "admins_only",
)


def event_copy(*, actor, event: Event, starts_at: dt.datetime, now=None) -> Event:
    """A new meeting like ``event`` on another date: its settings and programme, with the same
    length and the same notice for the registration deadline; no registrations, proposals,
    exhibitors or materials."""
    _require_coordinator(actor)
    now = now or timezone.now()
    deadline = starts_at - (event.starts_at - event.registration_deadline)
    if starts_at <= now or deadline <= now:
        raise ValidationError(
            _("Choose a date whose registration deadline (%(when)s) is still ahead.")
            % {"when": display(deadline)}
        )
    with transaction.atomic():
        copy = Event.objects.create(
            created_by=actor,
            starts_at=starts_at,
            ends_at=starts_at + (event.ends_at - event.starts_at),
            registration_deadline=deadline,
            **{f: getattr(event, f) for f in COPIED_FIELDS},
        )
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(
                event=copy,
                kind=p.kind,
                title=p.title,
                speaker=p.speaker,
                starts_at=p.starts_at,
                order=p.order,
            )
            for p in event.programme.all()
        )
        audit.record(actor=actor, action="event.copy", obj=copy, details={"from": event.pk})
    return copy


def _store(field_file, upload, title: str | None = None) -> tuple[str, str]:
    content_type = uploads.validate_upload(upload)
    stored = uploads.store(field_file, upload, content_type, title=title)
    return uploads.original_name(upload, stored), content_type


def event_update(*, actor, event: Event, based_on_version: int, **fields) -> Event:
    """Change a meeting; registrants are sent the new details with an updated ICS."""
    _require_coordinator(actor)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.version != based_on_version:
            from portal.core.exceptions import StaleEdit

            raise StaleEdit(current=locked)
        registrations = locked.registrations.all()
        waitlist.check_capacity(registrations.filter(mode=M.VENUE), fields.get("capacity", locked.capacity))
        waitlist.check_capacity(
            registrations.filter(mode=M.ONLINE), fields.get("online_capacity", locked.online_capacity)
        )
        timing = calendars.apply_change(locked, fields)
        locked.save()
        audit.record(actor=actor, action="event.update", obj=locked)
        if timing:
            for registration in locked.registrations.filter(status=R.CONFIRMED).select_related("user"):
                _mail(registration, "meetings/email/changed", ics=True)
        engine.offer_free_seats(SEATS, locked)  # a bigger room (or more online places)
    return locked


def event_cancel(*, actor, event: Event) -> Event:
    _require_coordinator(actor)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled_at:
            return locked
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["cancelled_at", "sequence"])
        audit.record(actor=actor, action="event.cancel_event", obj=locked)
        for registration in locked.registrations.exclude(status=R.CANCELLED).select_related(
            "user", "reservation"
        ):
            waitlist.give_up(registration)
            _mail(registration, "meetings/email/event_cancelled", ics=False)
    return locked


def programme_add(
    *, actor, event: Event, kind: str, title: str, speaker: str = "", starts_at=None
) -> ProgrammeItem:
    _require_coordinator(actor)
    with transaction.atomic():
        item = ProgrammeItem.objects.create(
            event=event,
            kind=kind,
            title=title,
            speaker=speaker,
            starts_at=starts_at,
            order=event.programme.count() + 1,
        )
        audit.record(actor=actor, action="event.programme_add", obj=event)
    return item


def programme_remove(*, actor, item: ProgrammeItem) -> None:
    _require_coordinator(actor)
    with transaction.atomic():
        audit.record(actor=actor, action="event.programme_remove", obj=item.event)
        item.delete()


def register(
    *, actor, event: Event, user=None, mode: str = Registration.Mode.VENUE, accessibility: str = "", now=None
) -> Registration:
    """Register oneself (or, as organisation admin, a colleague). A seat when one is free, the
    waiting list otherwise; the per-organisation cap is enforced under the same lock."""
    user = user or actor
    now = now or timezone.now()
    organization = eligible_organization(user, event)
    if organization is None:
        raise ValidationError(_("This meeting is not open to your organisation."))
    if user.pk != actor.pk:
        m = membership_in(actor, organization.pk)
        if not (m and m.is_admin) and not is_coordinator(actor):
            raise PermissionDenied
    if now > event.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(day)s.") % {"day": wareki(event.registration_deadline)}
        )
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if not waitlist.offers_mode(locked.online_capacity, mode):
            raise waitlist.mode_refused(mode)
        if locked.cancelled_at:
            raise ValidationError(_("This meeting was cancelled."))
        if Registration.objects.filter(event=locked, user=user).exclude(status=R.CANCELLED).exists():
            raise ValidationError(_("%(name)s is registered already.") % {"name": user})
        taken_by_org = Registration.objects.filter(
            event=locked, organization=organization, status__in=[R.CONFIRMED, R.OFFERED, R.WAITLISTED]
        ).count()
        if taken_by_org >= locked.per_organization:
            raise ValidationError(
                _("Your organisation has used all its %(n)d places for this meeting.")
                % {"n": locked.per_organization}
            )
        registration = Registration(
            event=locked,
            user=user,
            organization=organization,
            mode=mode,
            accessibility=accessibility,
            registered_by=actor,
        )
        waitlist.seat(registration, _places(locked)[mode], holder=user)
        registration.save()
        audit.record(
            actor=actor,
            action=f"event.register.{registration.status}",
            obj=registration,
            organization=organization,
        )
        if registration.status == R.CONFIRMED:
            _mail(registration, "meetings/email/confirmed", ics=True)
        else:
            _mail(registration, "meetings/email/waitlisted")
    return registration


def _seat_mail(registration: Registration, name: str, *, ics: bool = False, extra=None):
    _mail(registration, f"meetings/email/{name}", ics=ics, extra=extra)


SEATS = engine.Occasion(
    model=Event,
    registrations=Registration,
    field="event",
    action="event",
    offer_hours="EVENT_OFFER_HOURS",
    places=_places,
    mail=_seat_mail,
    url=_url,
    offer_title=lambda event: _("A seat is free for you: %(event)s") % {"event": event},
    lapsed_title=lambda r: _("The seat offer for %(event)s expired") % {"event": r.event},
)


def cancel(*, actor, registration: Registration) -> Registration:
    m = membership_in(actor, registration.organization_id)
    if not (actor.pk == registration.user_id or is_coordinator(actor) or (m and m.is_admin)):
        raise PermissionDenied
    return engine.cancel(SEATS, actor=actor, registration=registration)


def promote_next(event: Event, *, mode: str = M.VENUE, now=None) -> Registration | None:
    """Offer a freed seat of ``mode`` to the first person waiting for that mode, for OFFER_HOURS."""
    return engine.promote_next(SEATS, event, mode=mode, now=now)


def registration_update(
    *, actor, registration: Registration, mode: str, accessibility: str, based_on_version: int, now=None
) -> Registration:
    """The registrant (or their organisation's admin) changes the attendance mode and the access
    needs until the registration deadline (``core.registrations.update``)."""
    if not can_manage_registration(actor, registration):
        raise PermissionDenied
    return engine.update(
        SEATS,
        actor=actor,
        registration=registration,
        mode=mode,
        accessibility=accessibility,
        based_on_version=based_on_version,
        coordinator=is_coordinator(actor),
        now=now,
    )


def accept_offer(*, actor, registration: Registration) -> Registration:
    return engine.accept_offer(SEATS, actor=actor, registration=registration)


def expire_offers(*, now=None) -> int:
    """Offers not accepted in time lapse; the seat goes to the next person."""
    return engine.expire_offers(SEATS, now=now)


def check_in(*, actor, registration: Registration) -> Registration:
    _require_coordinator(actor)
    if registration.status != R.CONFIRMED:
        raise ValidationError(_("Only confirmed attendees can be checked in."))
    with transaction.atomic():
        registration.checked_in_at = registration.checked_in_at or timezone.now()
        registration.save(update_fields=["checked_in_at"])
        audit.record(actor=actor, action="event.check_in", obj=registration)
    return registration


def survey_submit(*, actor, registration: Registration, rating: int, useful: str = "", wishes: str = ""):
    if actor.pk != registration.user_id:
        raise PermissionDenied
    if registration.checked_in_at is None:
        raise ValidationError(_("The survey is for those who attended."))
    with transaction.atomic():
        response, _created = SurveyResponse.objects.update_or_create(
            registration=registration, defaults={"rating": rating, "useful": useful, "wishes": wishes}
        )
        audit.record(actor=actor, action="event.survey", obj=registration.event)
    return response


def proposal_key(finding) -> str:
    return pii.finding_key("summary", finding)


def propose(
    *,
    actor,
    event: Event,
    title: str,
    summary: str,
    confirmed=frozenset(),
    upload=None,
    file_checked: bool = False,
) -> PresentationProposal:
    if timezone.now() >= event.starts_at:
        raise ValidationError(
            _("Presentations can be proposed until the meeting starts (%(when)s).")
            % {"when": display(event.starts_at)}
        )
    registration = Registration.objects.filter(event=event, user=actor, status=R.CONFIRMED).first()
    if registration is None:
        raise ValidationError(_("Register for the meeting first; then you can propose a presentation."))
    findings: list = [f for f in pii.scan(summary) if proposal_key(f) not in confirmed]
    unread = _unreadable_upload(upload, findings, file_checked)
    if findings:
        raise PersonalDataFound(findings)
    with transaction.atomic():
        proposal = PresentationProposal(
            event=event, user=actor, organization=registration.organization, title=title, summary=summary
        )
        if upload is not None:
            proposal.file_name, proposal.file_type = _store(proposal.file, upload)
        proposal.save()
        audit.record(actor=actor, action="event.propose", obj=proposal)
        if unread:
            audit.record(actor=actor, action="event.proposal_file_unreadable_confirmed", obj=proposal)
    return proposal


def _unreadable_upload(upload, findings: list, file_checked: bool) -> bool:
    """Read the proposal's file before it is stored (a Word file with tracked changes or comments is
    refused): its findings join ``findings``; a file that cannot be read (an image, a scanned PDF)
    joins them too unless the proposer confirmed having checked it. True when such a file is kept."""
    if upload is None:
        return False
    file_text = attachments_text.check_upload(upload, content_type=uploads.validate_upload(upload))
    findings += attachments_text.scan(file_text)
    if file_text.readable:
        return False
    if not file_checked:
        findings.append(
            attachments_text.FileFinding(
                file_text.name, 0, attachments_text.unreadable_finding(file_text.name)
            )
        )
    return True


def proposal_decide(*, actor, proposal: PresentationProposal, select: bool) -> PresentationProposal:
    _require_coordinator(actor)
    with transaction.atomic():
        proposal.status = (
            PresentationProposal.Status.SELECTED if select else PresentationProposal.Status.NOT_SELECTED
        )
        proposal.save(update_fields=["status"])
        if select:
            ProgrammeItem.objects.create(
                event=proposal.event,
                kind=ProgrammeItem.Kind.CASE,
                title=proposal.title,
                speaker=f"{proposal.organization}",
                order=proposal.event.programme.count() + 1,
            )
        audit.record(actor=actor, action="event.proposal_decide", obj=proposal, details={"select": select})
        outbox.notify(
            user=proposal.user,
            title=(
                _("Your presentation was selected: %(t)s")
                if select
                else _("Your presentation was not selected: %(t)s")
            )
            % {"t": proposal.title},
            url=_url(proposal.event),
        )
    return proposal


def exhibitor_apply(
    *, actor, event: Event, organization: Organization, staff_count: int, offer: str, upload=None
):
    if event.kind != Event.Kind.FAIR:
        raise ValidationError(_("Only joint consultation fairs take exhibitors."))
    if organization.kind != Organization.Kind.PARTNER or membership_in(actor, organization.pk) is None:
        raise PermissionDenied
    with transaction.atomic():
        if ExhibitorApplication.objects.filter(event=event, organization=organization).exists():
            raise ValidationError(_("Your organisation has applied already."))
        application = ExhibitorApplication(
            event=event, organization=organization, staff_count=staff_count, offer=offer, applied_by=actor
        )
        if upload is not None:
            application.file_name, application.file_type = _store(application.file, upload)
        application.save()
        audit.record(actor=actor, action="event.exhibitor_apply", obj=application, organization=organization)
    return application


def exhibitor_decide(*, actor, application: ExhibitorApplication, approve: bool) -> ExhibitorApplication:
    _require_coordinator(actor)
    with transaction.atomic():
        application.status = (
            ExhibitorApplication.Status.APPROVED if approve else ExhibitorApplication.Status.DECLINED
        )
        application.save(update_fields=["status"])
        audit.record(
            actor=actor, action="event.exhibitor_decide", obj=application, details={"approve": approve}
        )
        outbox.notify(
            user=application.applied_by,
            title=(
                _("Your organisation will exhibit at %(e)s")
                if approve
                else _("Your exhibitor application for %(e)s was declined")
            )
            % {"e": application.event},
            url=_url(application.event),
        )
    return application


def material_add(*, actor, event: Event, title: str, upload) -> Material:
    _require_coordinator(actor)
    with transaction.atomic():
        material = Material(event=event, title=title)
        material.original_name, material.content_type = _store(material.file, upload, title)
        material.save()
        audit.record(actor=actor, action="event.material_add", obj=event)
    return material


def send_reminders(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    # One reminder, the day before: missed, it is not sent on the day itself (core.reminders).
    schedule = ((1, "d1"),)
    first, last = reminders.window(schedule, today)
    for event in Event.objects.filter(starts_at__date__gte=first, starts_at__date__lte=last):
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            reminder = reminders.due(
                schedule, day=timezone.localdate(locked.starts_at), today=today, sent=locked.reminders_sent
            )
            if reminder is None:
                continue
            _tag, _days, locked.reminders_sent = reminder
            locked.save(update_fields=["reminders_sent"])
            for registration in locked.registrations.filter(status=R.CONFIRMED).select_related("user"):
                _mail(registration, "meetings/email/reminder", ics=True)
                sent += 1
    return sent
