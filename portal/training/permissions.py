"""Who may see what in training: courses and sessions by audience (another audience gets 404);
registrations, transcripts and certificates by the person, their organisation's admins and the
secretariat; attendance, batches and exports by coordinators only."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import Membership, Organization, User
from portal.accounts.permissions import active_memberships, is_coordinator, membership_in, require_member
from portal.core.dates import wareki
from portal.core.permissions import get_or_404

from .models import Certificate, CertificateBatch, Completion, Course, Registration, Session, VideoModule


def in_audience(user, audience) -> bool:
    return is_coordinator(user) or any(m.organization.kind in audience for m in active_memberships(user))


def get_course_for(user, pk) -> Course:
    require_member(user)
    course = get_or_404(Course, pk)
    if in_audience(user, course.audience):
        return course
    raise Http404


def get_course_for_coordinator(user, pk) -> Course:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(Course, pk)


def get_session_for(user, pk) -> Session:
    require_member(user)
    session = get_or_404(Session, pk, "course")
    if in_audience(user, session.audience):
        return session
    raise Http404


def get_session_for_coordinator(user, pk) -> Session:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(Session, pk, "course")


def _admin_org_ids(user) -> list[int]:
    return [m.organization_id for m in active_memberships(user) if m.is_admin]


def visible_registrations(user):
    """The one visibility queryset of registrations, for every list and detail: one's own, those of
    organisations one administers, everything for coordinators."""
    if is_coordinator(user):
        return Registration.objects.all()
    return Registration.objects.filter(Q(user=user) | Q(organization_id__in=_admin_org_ids(user)))


def visible_completions(user):
    """Completions (the transcript) by the same rule as registrations."""
    if is_coordinator(user):
        return Completion.objects.all()
    return Completion.objects.filter(Q(user=user) | Q(organization_id__in=_admin_org_ids(user)))


def visible_certificates(user):
    """A certificate goes with its completion."""
    if is_coordinator(user):
        return Certificate.objects.all()
    return Certificate.objects.filter(completion__in=visible_completions(user))


def can_manage_registration(user, registration: Registration) -> bool:
    m = membership_in(user, registration.organization_id)
    return is_coordinator(user) or registration.user_id == user.pk or bool(m and m.is_admin)


def get_registration_for(user, pk) -> Registration:
    """The registrant, their organisation's admins and coordinators; a colleague without admin
    rights is refused (403), anyone else does not learn it exists (404)."""
    require_member(user)
    registration = (
        visible_registrations(user)
        .select_related("session__course", "user", "organization")
        .filter(pk=pk)
        .first()
    )
    if registration is not None:
        return registration
    registration = get_or_404(Registration, pk)
    if membership_in(user, registration.organization_id):
        raise PermissionDenied
    raise Http404


def get_registration_to_manage(user, pk) -> Registration:
    """A registration the person may change (mode, access needs, leaving): the registrant, their
    organisation's admins and coordinators, exactly those ``visible_registrations`` shows; a
    colleague without admin rights is refused (403), another organisation's staff get 404."""
    registration = get_registration_for(user, pk)
    if not can_manage_registration(user, registration):
        raise PermissionDenied
    return registration


def get_own_registration(user, pk) -> Registration:
    registration = get_registration_for(user, pk)
    if registration.user_id != user.pk:
        raise PermissionDenied
    return registration


def get_module_for(user, pk) -> VideoModule:
    require_member(user)
    module = get_or_404(VideoModule, pk, "course")
    if in_audience(user, module.course.audience):
        return module
    raise Http404


def get_module_for_coordinator(user, pk) -> VideoModule:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(VideoModule, pk, "course")


def get_certificate_for(user, pk) -> Certificate:
    require_member(user)
    certificate = (
        visible_certificates(user)
        .select_related("completion__course", "completion__user", "completion__organization")
        .filter(pk=pk)
        .first()
    )
    if certificate is not None:
        return certificate
    certificate = get_or_404(Certificate, pk, "completion")
    organization_id = certificate.completion.organization_id
    if organization_id and membership_in(user, organization_id):
        raise PermissionDenied  # a colleague's certificate, without admin rights
    raise Http404


def get_session_of_course_for_coordinator(user, course: Course, pk) -> Session:
    """A session named in a form about ``course``: another course's session is 404."""
    session = get_session_for_coordinator(user, pk)
    if session.course_id != course.pk:
        raise Http404
    return session


def get_certificate_by_token(token: str) -> Certificate:
    """Public verification: the certificate whose QR code was scanned, or 404 for a forged token."""
    try:
        return Certificate.objects.select_related(
            "completion__course", "completion__user", "completion__session"
        ).get(token=token)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc


def get_batch_for_coordinator(user, pk) -> CertificateBatch:
    if not is_coordinator(user):
        raise PermissionDenied
    return get_or_404(CertificateBatch, pk, "course", "session")


def administered_organizations(user):
    return [m.organization for m in active_memberships(user) if m.is_admin]


def require_org_admin(user):
    """The organisations whose training overview the person may see (admins only)."""
    require_member(user)
    orgs = administered_organizations(user)
    if not orgs:
        raise PermissionDenied
    return orgs


def get_learner_for(user, pk) -> User:
    """Whose transcript: oneself, a member of an organisation one administers, or anyone for
    coordinators. A member of another organisation is 404."""
    require_member(user)
    try:
        learner = User.objects.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if learner.pk == user.pk or is_coordinator(user):
        return learner
    shared = Membership.objects.filter(user=learner, is_active=True).values_list("organization_id", flat=True)
    mine = {m.organization_id: m for m in active_memberships(user)}
    common = [mine[o] for o in shared if o in mine]
    if any(m.is_admin for m in common):
        return learner
    if common:
        raise PermissionDenied
    raise Http404


# --- Who may register or cancel (rules the services enforce and the pages show) ---------------


@dataclass(frozen=True)
class Eligibility:
    organization: Organization | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.organization is not None and not self.reason


def missing_prerequisites(user, course: Course) -> list[Course]:
    """Prerequisite courses the person has not completed (in any fiscal year: the same code)."""
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Completion.objects.filter(user=user, course__code__in=[c.code for c in required]).values_list(
            "course__code", flat=True
        )
    )
    return [c for c in required if c.code not in done]


def audience_organization(user, audience, *, admins_only: bool = False) -> Organization | None:
    for m in active_memberships(user):
        if m.organization.kind in audience and (m.is_admin or not admins_only):
            return m.organization
    return None


def eligibility(user, session: Session, *, now=None) -> Eligibility:
    """May ``user`` register for ``session`` now, and through which organisation? The reason is
    the sentence shown when they may not."""
    now = now or timezone.now()
    organization = audience_organization(user, session.audience, admins_only=session.admins_only)
    if session.cancelled_at:
        return Eligibility(organization, _("This session was cancelled."))
    if organization is None:
        if session.admins_only and audience_organization(user, session.audience):
            return Eligibility(None, _("This session is for organisation admins."))
        kinds = "、".join(str(Organization.Kind(k).label) for k in session.audience)
        return Eligibility(None, _("This session is for: %(kinds)s.") % {"kinds": kinds})
    if now < session.opens_at:
        return Eligibility(
            organization,
            _("Registration opens on %(day)s at %(time)s.")
            % {
                "day": wareki(session.opens_at, weekday=True),
                "time": timezone.localtime(session.opens_at).strftime("%H:%M"),
            },
        )
    if now > session.registration_deadline:
        return Eligibility(
            organization,
            _("Registration closed on %(day)s at %(time)s.")
            % {
                "day": wareki(session.registration_deadline, weekday=True),
                "time": timezone.localtime(session.registration_deadline).strftime("%H:%M"),
            },
        )
    missing = missing_prerequisites(user, session.course)
    if missing:
        return Eligibility(
            organization,
            _("Complete %(courses)s first.") % {"courses": "、".join(f"「{c.title}」" for c in missing)},
        )
    return Eligibility(organization)


def can_cancel(actor, registration: Registration, *, now=None) -> bool:
    if is_coordinator(actor):
        return True
    now = now or timezone.now()
    m = membership_in(actor, registration.organization_id)
    own = actor.pk == registration.user_id or bool(m and m.is_admin)
    return own and now <= registration.session.registration_deadline
