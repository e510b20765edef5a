"""What a coordinator can write about, read only through the other apps' selectors.

A source is a meeting, a training session, a case-review meeting, a network-building programme, a
touring-consultation day, or the staff of chosen organisations. For each: how it is fetched for a
coordinator, its groups, the placeholders it can fill, and who its group reaches as querysets of
``user_id`` / ``organization_id`` rows (``portal.mailings.selectors`` filters and deduplicates them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts import selectors as accounts
from portal.casereviews import selectors as casereviews
from portal.core.dates import display
from portal.meetings import selectors as meetings
from portal.municipalities import selectors as municipalities
from portal.outreach import selectors as outreach
from portal.training import selectors as training

from .models import Mailing

GROUP_LABELS = {
    "confirmed": pgettext_lazy("mailing group", "Confirmed"),
    "waitlisted": pgettext_lazy("mailing group", "On the waiting list"),
    "offered": pgettext_lazy("mailing group", "Offered a seat"),
    "attended": pgettext_lazy("mailing group", "Attended"),
    "absent": pgettext_lazy("mailing group", "Did not attend"),
    "all": pgettext_lazy("mailing group", "Everyone"),
    "panel": pgettext_lazy("mailing group", "Panel experts"),
    "presenters": pgettext_lazy("mailing group", "Staff who presented cases"),
    "participants": pgettext_lazy("mailing group", "Municipalities taking part"),
    "applicants": pgettext_lazy("mailing group", "Municipalities that applied"),
    "host": pgettext_lazy("mailing group", "Staff of the host municipality"),
    "staff": pgettext_lazy("mailing group", "Support Net staff of the day"),
}

# Placeholder → what it is replaced by. Which ones a source can fill is in Source.placeholders.
NAME, ORG, WHEN, PLACE, LINK = "{氏名}", "{団体名}", "{日時}", "{会場}", "{リンク}"
PLACEHOLDERS = {
    NAME: _("the person's name"),
    ORG: _("their organisation"),
    WHEN: _("date and time"),
    PLACE: _("venue"),
    LINK: _("link to the page in the portal"),
}


@dataclass(frozen=True)
class Source:
    kind: str
    groups: tuple[str, ...]
    placeholders: tuple[str, ...]
    fetch: Callable[[Any, Any], Any]  # (user, pk) -> object, 403/404 as the app's own pages
    recipients: Callable[[Any, str], list]  # (object, group) -> querysets of rows
    facts: Callable[[Any], dict]  # object -> {"title", "when", "place", "path"}
    back: Callable[[Any], str]  # the coordinator's page of the object


def _span(start, end=None) -> str:
    text = display(start)
    if end is not None:
        same_day = display(start, "date") == display(end, "date")
        text += "〜" + (display(end, "time") if same_day else display(end))
    return text


def _place(venue: str, online_url: str) -> str:
    if venue and online_url:
        return f"{venue}（{_('online participation possible')}）"
    return venue or (str(_("Online")) if online_url else "")


def _event_facts(event) -> dict:
    return {
        "title": event.title,
        "when": _span(event.starts_at, event.ends_at),
        "place": _place(event.venue, event.online_url),
        "path": reverse("meetings:event_detail", args=[event.pk]),
    }


def _session_facts(session) -> dict:
    return {
        "title": str(session),
        "when": _span(session.starts_at, session.ends_at),
        "place": _place(session.venue, session.online_url),
        "path": reverse("training:session_detail", args=[session.pk]),
    }


def _case_meeting_facts(meeting) -> dict:
    return {
        "title": str(meeting),
        "when": _span(meeting.starts_at, meeting.ends_at),
        "place": _place(meeting.venue, meeting.online_url),
        "path": reverse("casereviews:meeting_detail", args=[meeting.pk]),
    }


def _programme_facts(programme) -> dict:
    return {
        "title": str(programme),
        "when": "",
        "place": "",
        "path": reverse("municipalities:sheet_list"),
    }


def _day_facts(day) -> dict:
    host = day.host
    return {
        "title": f"{_('Touring consultation')} {host.organization}",
        "when": _span(day.starts_at, day.ends_at),
        "place": " ".join(p for p in (host.facility_name, host.room) if p),
        "path": reverse("outreach:host_detail", args=[host.pk]),
    }


def _programme_recipients(programme, group: str) -> list:
    return [accounts.staff_rows(municipalities.participating_organizations(programme, group))]


def _day_recipients(day, group: str) -> list:
    parts = outreach.recipients_for_day(day, group)
    if group in ("host", "all"):
        parts = [*parts, accounts.staff_rows([outreach.host_organization_of(day).pk])]
    return parts


ALL = (NAME, ORG, WHEN, PLACE, LINK)
SOURCES: dict[str, Source] = {
    Mailing.Source.EVENT: Source(
        kind=Mailing.Source.EVENT,
        groups=meetings.MAILING_GROUPS,
        placeholders=ALL,
        fetch=meetings.event_for_mailing,
        recipients=meetings.recipients_for_event,
        facts=_event_facts,
        back=lambda e: reverse("meetings:event_detail", args=[e.pk]),
    ),
    Mailing.Source.SESSION: Source(
        kind=Mailing.Source.SESSION,
        groups=training.MAILING_GROUPS,
        placeholders=ALL,
        fetch=training.session_for_mailing,
        recipients=training.recipients_for_session,
        facts=_session_facts,
        back=lambda s: reverse("training:session_detail", args=[s.pk]),
    ),
    Mailing.Source.CASE_MEETING: Source(
        kind=Mailing.Source.CASE_MEETING,
        groups=casereviews.MAILING_GROUPS,
        placeholders=ALL,
        fetch=casereviews.meeting_for_mailing,
        recipients=casereviews.recipients_for_case_meeting,
        facts=_case_meeting_facts,
        back=lambda m: reverse("casereviews:meeting_detail", args=[m.pk]),
    ),
    Mailing.Source.PROGRAMME: Source(
        kind=Mailing.Source.PROGRAMME,
        groups=municipalities.MAILING_GROUPS,
        placeholders=(NAME, ORG, LINK),
        fetch=municipalities.programme_for_mailing,
        recipients=_programme_recipients,
        facts=_programme_facts,
        back=lambda p: reverse("municipalities:programme_detail", args=[p.pk]),
    ),
    Mailing.Source.OUTREACH_DAY: Source(
        kind=Mailing.Source.OUTREACH_DAY,
        groups=outreach.MAILING_GROUPS,
        placeholders=ALL,
        fetch=outreach.day_for_mailing,
        recipients=_day_recipients,
        facts=_day_facts,
        back=lambda d: reverse("outreach:host_detail", args=[d.host_id]),
    ),
}

ORGANIZATION_PLACEHOLDERS = (NAME, ORG, LINK)


def organization_facts() -> dict:
    return {"title": "", "when": "", "place": "", "path": reverse("core:dashboard")}


def organization_recipients(audience: dict) -> list:
    """Staff of the organisations an ``audience`` (the mailing's stored choice) describes."""
    within = None
    if audience.get("programme"):
        programme = municipalities.programmes_for_choice().filter(pk=audience["programme"]).first()
        within = municipalities.participating_organizations(programme) if programme else []
    organizations = accounts.organizations_for_mailing(
        kinds=audience.get("kinds") or (),
        municipality_kinds=audience.get("municipality_kinds") or (),
        municipalities=audience.get("municipalities") or (),
        within=within,
    )
    return [accounts.staff_rows(organizations, admins_only=bool(audience.get("admins_only")))]


def group_choices(source: Source):
    return [(g, GROUP_LABELS[g]) for g in source.groups]
