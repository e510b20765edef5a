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
