from __future__ import annotations

from django.db.models import Count, JSONField, OuterRef, Q, Subquery
from django.utils import timezone

from portal.accounts.models import Organization
from portal.core.paging import count_per_row

from . import permissions
from .models import (
    ExchangeSession,
    FollowUpAction,
    HearingSheet,
    HearingSheetRevision,
    Participation,
    Programme,
    Question,
)


def _per_programme(rows):
    """``rows`` (participations or sheets) counted for each programme in a subquery: two joins
    counted DISTINCT multiply every participation by every sheet of the year."""
    return count_per_row(rows, "programme")


def programmes_for_list():
    return Programme.objects.annotate(
        participants=_per_programme(Participation.objects.filter(status=Participation.Status.ACCEPTED)),
        applications=_per_programme(Participation.objects.filter(status=Participation.Status.APPLIED)),
        submitted=_per_programme(HearingSheet.objects.filter(status=HearingSheet.Status.SUBMITTED)),
    ).order_by("-fiscal_year")


def open_programmes_for(organization):
    """Programmes a municipality can apply to, with its own participation (if any)."""
    mine = Participation.objects.filter(programme=OuterRef("pk"), organization=organization)
    return (
        Programme.objects.filter(accepts_applications=True, fiscal_year__gte=timezone.localdate().year - 1)
        .annotate(my_status=Subquery(mine.values("status")[:1]))
        .order_by("-fiscal_year")
    )


def sheets_visible_to(user):
    """The hearing-sheet list: built on the one visibility rule in permissions."""
    return permissions.visible_sheets(user)


def sheet_list_rows(sheets):
    """The list's rows without the answers (a sheet's whole questionnaire, never shown there)."""
    return sheets.defer("answers")


def questions_of(programme):
    return (
        Question.objects.filter(programme=programme)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )


def progress_board(programme: Programme):
    """One row per participating or applying municipality, with where it stands."""
    today = timezone.localdate()
    sheets = HearingSheet.objects.filter(programme=programme, organization=OuterRef("organization"))
    sessions = ExchangeSession.objects.filter(
        programme=programme, organization=OuterRef("organization"), status__in=["scheduled", "held"]
    )
    actions = FollowUpAction.objects.filter(
        session__programme=programme, organization=OuterRef("organization")
    )
    return (
        Participation.objects.filter(programme=programme)
        .select_related("organization")
        .annotate(
            sheet_id=Subquery(sheets.values("pk")[:1]),
            sheet_status=Subquery(sheets.values("status")[:1]),
            submitted_at=Subquery(sheets.values("submitted_at")[:1]),
            session_id=Subquery(sessions.order_by("starts_at").values("pk")[:1]),
            session_at=Subquery(sessions.order_by("starts_at").values("starts_at")[:1]),
            open_actions=Subquery(
                actions.filter(status="open").values("organization").annotate(n=Count("pk")).values("n")[:1]
            ),
            overdue_actions=Subquery(
                actions.filter(status="open", due_date__lt=today)
                .values("organization")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("organization__code")
    )


def sheet_files(sheet):
    return {f.pk: f for f in sheet.files.all()}


def previous_year_sheet(sheet: HearingSheet) -> HearingSheet | None:
    return (
        HearingSheet.objects.filter(
            organization=sheet.organization, programme__fiscal_year__lt=sheet.programme.fiscal_year
        )
        .select_related("programme")
        .order_by("-programme__fiscal_year")
        .first()
    )


def questions_snapshot(programme: Programme) -> list[dict]:
    """The year's sections and questions as they are now (stored with each submitted revision)."""
    return [
        {
            "title": s.title,
            "description": s.description,
            "questions": [q.snapshot() for q in s.questions.all()],
        }
        for s in programme.sections.prefetch_related("questions")
    ]


def answers_of(sheet: HearingSheet) -> tuple[dict, list[dict]]:
    """The answers to show and the questions they answered: the latest submitted revision for a
    submitted sheet, else the live draft against the year's current questions."""
    revision = sheet.revisions.order_by("-number").first()
    if revision is not None and sheet.status == HearingSheet.Status.SUBMITTED:
        return revision.answers, revision.questions
    return sheet.answers, questions_snapshot(sheet.programme)


def sheets_with_answers(programme: Programme):
    """Every sheet of the year in code order with the answers ``answers_of`` would show (the latest
    submitted revision, else the live draft): one query whatever the number of sheets, read in
    chunks and yielded as ``(sheet, answers)``."""
    latest = HearingSheetRevision.objects.filter(sheet=OuterRef("pk")).order_by("-number")
    sheets = (
        programme.sheets.select_related("organization")
        .annotate(revision_answers=Subquery(latest.values("answers")[:1], output_field=JSONField()))
        .order_by("organization__code", "pk")
    )
    for sheet in sheets.iterator(chunk_size=2000):
        submitted = sheet.status == HearingSheet.Status.SUBMITTED and sheet.revision_answers is not None
        yield sheet, (sheet.revision_answers if submitted else sheet.answers)


def comparison(sheet: HearingSheet, previous: HearingSheet | None) -> list[dict]:
    answers, sections = answers_of(sheet)
    prev_answers, prev_sections = answers_of(previous) if previous else ({}, [])
    prev_labels = {q["key"]: q["label"] for s in prev_sections for q in s["questions"]}
    rows = []
    for section in sections:
        for q in section["questions"]:
            if q["kind"] == Question.Kind.FILE:
                continue
            current, before = answers.get(q["key"]), prev_answers.get(q["key"])
            rows.append(
                {
                    "section": section["title"],
                    "label": q["label"],
                    "previous_label": prev_labels.get(q["key"]),
                    "current": current,
                    "previous": before,
                    "changed": previous is not None and current != before,
                }
            )
    return rows


def sessions_of_sheet(user, sheet):
    return permissions.visible_sessions(user).filter(sheet=sheet).order_by("starts_at")


def participations_of(user, programme):
    return (
        permissions.visible_participations(user)
        .filter(programme=programme)
        .select_related("organization", "requested_by")
    )


def participant_choices(organization):
    """People who may take part in an exchange with this municipality: its staff and the secretariat."""
    from portal.accounts.models import User

    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organization__in=Organization.objects.filter(
                Q(pk=organization.pk) | Q(kind=Organization.Kind.SECRETARIAT)
            ),
        )
        .distinct()
        .order_by("display_name")
    )


def sheet_file(sheet, file_pk):
    """A file of this sheet (the sheet is already authorised), or 404."""
    from django.http import Http404

    try:
        return sheet.files.get(pk=file_pk)
    except (ValueError, sheet.files.model.DoesNotExist) as exc:
        raise Http404 from exc


# --- coordinators' mailings (portal.mailings) ---------------------------------------------------

MAILING_GROUPS = ("participants", "applicants", "all")
_MAILING_STATUSES = {
    "participants": [Participation.Status.ACCEPTED],
    "applicants": [Participation.Status.APPLIED],
    "all": [Participation.Status.ACCEPTED, Participation.Status.APPLIED],
}


def programme_for_mailing(user, pk) -> Programme:
    """The programme a coordinator writes about (403 for other roles, 404 for a missing one)."""
    return permissions.get_programme_for_coordinator(user, pk)


def programmes_for_choice():
    return Programme.objects.order_by("-fiscal_year")


def participating_organizations(programme: Programme, group: str = "participants"):
    """Ids of the municipalities taking part in (or applying to) ``programme``."""
    if group not in _MAILING_STATUSES:
        raise ValueError(f"unknown group: {group!r}")
    return programme.participations.filter(status__in=_MAILING_STATUSES[group]).values("organization_id")
