"""ICS (RFC 5545) for every promised date: invitations attach it, pages offer it for download."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText


@dataclass
class CalendarEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    attendees: list[tuple[str, str]] = field(default_factory=list)  # (email, name)


def build_ics(*events: CalendarEvent, method: str = "REQUEST") -> str:
    cal = Calendar()
    cal.add("prodid", "-//Tokyo Hikikomori Support Net//Partner portal//JA")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if any(e.cancelled for e in events) else method)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", item.start.astimezone(dt.UTC))
        event.add("dtend", item.end.astimezone(dt.UTC))
        event.add("summary", item.summary)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
        organizer.params["cn"] = vText("東京都ひきこもりサポートネット")
        event["organizer"] = organizer
        for email, name in item.attendees:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = vText(name or email)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=False)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def ics_attachment(ics: str, filename: str = "invite.ics") -> dict:
    """An invitation to attach to a stored e-mail. The charset is not named here: the mail library
    adds ``charset="utf-8"`` to a text attachment itself, and a second one makes the header invalid."""
    return {"filename": filename, "content": ics, "mimetype": "text/calendar; method=REQUEST"}


SCHEDULE_FIELDS = ("starts_at", "ends_at", "venue", "online_url")


def apply_change(obj, fields: dict, *, schedule_fields=SCHEDULE_FIELDS) -> bool:
    """Set ``fields`` on a locked, versioned calendar item (an event, a session): the edit version
    goes up, and so does the ICS SEQUENCE when the time or place changed. Returns whether it did,
    so the caller sends updated invitations."""
    moved = any(fields.get(k, getattr(obj, k)) != getattr(obj, k) for k in schedule_fields)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.version += 1
    if moved:
        obj.sequence += 1
    return moved
