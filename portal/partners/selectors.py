from portal.accounts.models import ExpertProfile, User

from . import permissions


def experts_in_field(field: str):
    return (
        ExpertProfile.objects.filter(talent_bank_discipline=field, is_active=True, user__is_active=True)
        .select_related("user", "schedule")
        .order_by("user__display_name")
    )


def consultations_visible_to(user):
    return permissions.visible_consultations(user)


def consultation_list(user, params):
    """The consultation list as the person may see it, with the list's status filter (the page
    and its export read this same queryset)."""
    qs = permissions.visible_consultations(user)
    status = params.get("status")
    if status:
        qs = qs.filter(status=status)
    return qs


def consultation_list_rows(consultations):
    """The list's rows: the columns it shows (not each request's description, dates wished for,
    reasons and reminders, nor the whole expert and organisation)."""
    return consultations.only(
        "starts_at",
        "field",
        "topic",
        "status",
        "organization__kind",
        "organization__name",
        "organization__legal_form",
        "organization__branch",
        "expert__display_name",
        "expert__email",
    )


def request_of_hold(user, hold):
    """The request already made from ``hold`` if ``user`` may see it, else None."""
    return permissions.visible_consultations(user).filter(reservation=hold).first()


def colleagues(organization):
    return User.objects.filter(
        memberships__organization=organization, memberships__is_active=True, is_active=True
    ).order_by("display_name")


def expert_of(consultation):
    """The expert profile of a consultation's booked expert (404 when none is booked)."""
    from django.http import Http404

    profile = (
        ExpertProfile.objects.filter(user_id=consultation.expert_id).first()
        if consultation.expert_id
        else None
    )
    if profile is None:
        raise Http404
    return profile


def schedule_for_display(profile):
    """The expert's schedule, or an unsaved default for the form (a GET creates no row)."""
    from .models import ExpertSchedule

    return ExpertSchedule.objects.filter(expert=profile).first() or ExpertSchedule(
        expert=profile, formats=["online"]
    )


FIELD_LABELS = {"legal": "法務", "medical": "医療", "management": "経営管理"}


def utilisation_rows(fiscal_year: int) -> dict[str, list[list]]:
    """The year's held and confirmed consultations counted by field, expert and organisation: the
    database counts (three grouped queries), then the experts and organisations counted are named
    (two queries), whatever the number of consultations."""
    from collections import Counter

    from django.db.models import Count

    from portal.accounts.models import Organization

    from .models import Consultation

    held = Consultation.objects.filter(
        fiscal_year=fiscal_year, status__in=["completed", "confirmed", "no_show"]
    ).order_by()

    def counts(field):
        return dict(held.values_list(field).annotate(n=Count("pk")).order_by())

    by_field, by_expert, by_org = counts("field"), counts("expert"), counts("organization")
    experts = User.objects.in_bulk([pk for pk in by_expert if pk is not None])
    organizations = Organization.objects.in_bulk(list(by_org))
    expert_names: Counter[str] = Counter()
    org_names: Counter[str] = Counter()
    for pk, n in by_expert.items():
        expert_names[str(experts[pk]) if pk in experts else ""] += n
    for pk, n in by_org.items():
        org_names[str(organizations[pk])] += n
    return {
        "分野別": [[FIELD_LABELS.get(k, k), v] for k, v in sorted(by_field.items())],
        "専門家別": [[k, v] for k, v in sorted(expert_names.items())],
        "団体別": [[k, v] for k, v in sorted(org_names.items())],
    }
