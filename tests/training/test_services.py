import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.accounts.models import Membership, Organization
from portal.core.dates import wareki
from portal.core.models import Reservation
from portal.training import permissions, services
from portal.training.models import (
    Certificate,
    CertificateBatch,
    Completion,
    Course,
    QuizQuestion,
    Registration,
    VideoModule,
)

from ..factories import MembershipFactory, OrganizationFactory
from .conftest import after, make_session

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.django_db


def _colleague(org, **kw):
    return MembershipFactory(organization=org, **kw).user


def test_catalogue_r7_is_shipped_with_prerequisites():
    courses = Course.objects.filter(fiscal_year=2025)
    assert courses.count() == 13
    assert courses.filter(track="supporters").count() == 7
    case = courses.get(code="supporters-case-study")
    assert [c.code for c in case.prerequisites.all()] == ["supporters-intro"]
    videos = courses.filter(format="video")
    assert {c.title for c in videos} == {"ひきこもり概論【動画】", "家族支援【動画】", "都の支援体制【動画】"}
    assert all(c.audience == ["commissioners"] for c in videos)


def test_default_deadline_is_17_00_tokyo():
    deadline = services.default_deadline(dt.date(2026, 12, 4))
    assert deadline.astimezone(TOKYO).hour == 17
    assert deadline.astimezone(dt.UTC).hour == 8


def test_registration_closes_at_17_00_tokyo_on_the_deadline_day(coordinator, intro, member_a):
    start = dt.datetime(2026, 12, 10, 14, 0, tzinfo=TOKYO)
    session = services.session_create(
        actor=coordinator,
        course=intro,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
        opens_at=dt.datetime(2026, 11, 1, 9, 0, tzinfo=TOKYO),
        registration_deadline=services.default_deadline(dt.date(2026, 12, 4)),
    )
    with time_machine.travel(dt.datetime(2026, 12, 4, 16, 59, tzinfo=TOKYO), tick=False):
        assert services.eligibility(member_a, session).ok
    with time_machine.travel(dt.datetime(2026, 12, 4, 17, 0, 1, tzinfo=TOKYO), tick=False):
        check = services.eligibility(member_a, session)
        assert not check.ok
        assert "17:00" in check.reason
        with pytest.raises(ValidationError):
            services.register(actor=member_a, session=session)


def test_registration_not_yet_open_says_when(coordinator, intro, member_a):
    session = make_session(coordinator, intro, opens_at=timezone.now() + dt.timedelta(days=2))
    check = services.eligibility(member_a, session)
    assert not check.ok
    assert wareki(session.opens_at) in check.reason


def test_eligibility_by_organisation_kind_has_a_reason(coordinator, intro, partner_member):
    session = make_session(coordinator, intro, audience=["municipality"])
    check = services.eligibility(partner_member, session)
    assert check.organization is None
    assert str(Organization.Kind.MUNICIPALITY.label) in check.reason
    with pytest.raises(ValidationError):
        services.register(actor=partner_member, session=session)


def test_admins_only_session_refuses_members(coordinator, intro, member_a, admin_a):
    session = make_session(coordinator, intro, admins_only=True)
    assert not services.eligibility(member_a, session).ok
    assert services.register(actor=admin_a, session=session).status == "confirmed"


def test_prerequisite_refused_until_completed(coordinator, intro, case_study, member_a):
    session = make_session(coordinator, case_study)
    check = services.eligibility(member_a, session)
    assert not check.ok
    assert "ひきこもり概論" in check.reason
    with pytest.raises(ValidationError, match="ひきこもり概論"):
        services.register(actor=member_a, session=session)
    # completing 概論 (attendance at a session) opens the door
    intro_session = make_session(coordinator, intro, capacity=5)
    reg = services.register(actor=member_a, session=intro_session)
    with after(intro_session):
        services.mark_attendance(
            actor=coordinator, session=intro_session, registrations=[reg], attendance="present"
        )
    assert services.eligibility(member_a, session).ok


def test_prerequisite_completed_in_an_earlier_year_counts(coordinator, member_a, org_a):
    services.catalogue_copy(actor=coordinator, from_year=2025, to_year=2026)
    old_intro = Course.objects.get(fiscal_year=2025, code="supporters-intro")
    Completion.objects.create(
        course=old_intro, user=member_a, organization=org_a, completed_at=timezone.now()
    )
    new_case = Course.objects.get(fiscal_year=2026, code="supporters-case-study")
    assert [c.fiscal_year for c in new_case.prerequisites.all()] == [2026]
    assert permissions.missing_prerequisites(member_a, new_case) == []


def test_full_session_waitlists_and_never_oversells(coordinator, session, org_a):
    people = [_colleague(org_a) for _ in range(4)]
    statuses = [services.register(actor=p, session=session).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    booked = Reservation.objects.filter(resource__key=session.capacity_key, status="booked").count()
    assert booked == 2


def test_cancel_promotes_first_waiting_with_time_limited_offer(coordinator, session, org_a, settings):
    first, second, third = (_colleague(org_a) for _ in range(3))
    r1 = services.register(actor=first, session=session)
    services.register(actor=second, session=session)
    r3 = services.register(actor=third, session=session)
    mail.outbox.clear()
    services.cancel(actor=first, registration=r1)
    r3.refresh_from_db()
    assert r3.status == "offered"
    assert r3.offer_expires_at - timezone.now() > dt.timedelta(hours=settings.TRAINING_OFFER_HOURS - 1)
    services.accept_offer(actor=third, registration=r3)
    r3.refresh_from_db()
    assert r3.status == "confirmed"
    assert Registration.objects.filter(session=session, status="confirmed").count() == 2


def test_lapsed_offer_goes_to_the_next_person(coordinator, session, org_a):
    people = [_colleague(org_a) for _ in range(4)]
    regs = [services.register(actor=p, session=session) for p in people]
    services.cancel(actor=people[0], registration=regs[0])
    regs[2].refresh_from_db()
    assert regs[2].status == "offered"
    later = timezone.now() + dt.timedelta(days=3)
    assert services.expire_offers(now=later) == 1
    regs[2].refresh_from_db()
    regs[3].refresh_from_db()
    assert regs[2].status == "cancelled"
    assert regs[3].status == "offered"


def test_registrant_cannot_cancel_after_deadline_but_coordinator_can(coordinator, session, member_a):
    registration = services.register(actor=member_a, session=session)
    after = session.registration_deadline + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.cancel(actor=member_a, registration=registration, now=after)
    services.cancel(actor=coordinator, registration=registration, now=after)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_admin_registers_several_colleagues_with_reasons(coordinator, session, admin_a, org_a, org_b):
    colleagues = [_colleague(org_a) for _ in range(3)]
    results = services.register_many(actor=admin_a, session=session, users=colleagues)
    assert [r.status if r else reason for _u, r, reason in results][:2] == ["confirmed", "confirmed"]
    assert results[2][1].status == "waitlisted"
    again = services.register_many(actor=admin_a, session=session, users=colleagues[:1])
    assert again[0][1] is None
    assert str(colleagues[0]) in again[0][2]


def test_member_cannot_register_a_colleague(session, member_a, org_a):
    with pytest.raises(PermissionDenied):
        services.register(actor=member_a, session=session, user=_colleague(org_a))


def test_admin_of_other_organisation_cannot_register_our_staff(session, admin_b, member_a):
    with pytest.raises(PermissionDenied):
        services.register(actor=admin_b, session=session, user=member_a)


def test_confirmation_mail_has_ics_and_reminders_7_and_1_days(coordinator, intro, member_a):
    session = make_session(coordinator, intro, days=7, deadline_days=1)
    mail.outbox.clear()
    services.register(actor=member_a, session=session)
    from portal.core.models import OutboundEmail

    confirmation = OutboundEmail.objects.filter(to=member_a.email).latest("pk")
    assert confirmation.attachments and "BEGIN:VCALENDAR" in str(confirmation.attachments[0])
    today = timezone.localdate(session.starts_at) - dt.timedelta(days=7)
    assert services.send_reminders(today=today) == 1
    assert services.send_reminders(today=today) == 0  # only once
    assert services.send_reminders(today=today + dt.timedelta(days=6)) == 1


def test_attendance_in_bulk_completes_and_cannot_be_withdrawn_after_certificate(coordinator, session, org_a):
    people = [_colleague(org_a) for _ in range(2)]
    regs = [services.register(actor=p, session=session) for p in people]
    with after(session):
        assert (
            services.mark_attendance(
                actor=coordinator, session=session, registrations=regs, attendance="present"
            )
            == 2
        )
        assert Completion.objects.filter(session=session).count() == 2
        services.mark_attendance(
            actor=coordinator, session=session, registrations=regs[1:], attendance="absent"
        )
        assert Completion.objects.filter(session=session).count() == 1
        services.issue_certificate(Completion.objects.get(session=session))
        with pytest.raises(ValidationError):
            services.mark_attendance(
                actor=coordinator, session=session, registrations=regs[:1], attendance="absent"
            )


def test_certificate_numbers_are_unique_and_sequential_per_fiscal_year(coordinator, intro, org_a):
    completions = [
        Completion.objects.create(
            course=intro, user=_colleague(org_a), organization=org_a, completed_at=timezone.now()
        )
        for _ in range(3)
    ]
    numbers = [services.issue_certificate(c).number for c in completions]
    assert numbers == ["R7-00001", "R7-00002", "R7-00003"]
    assert services.issue_certificate(completions[0]).number == "R7-00001"  # idempotent
    services.catalogue_copy(actor=coordinator, from_year=2025, to_year=2026)
    r8 = Course.objects.get(fiscal_year=2026, code="supporters-intro")
    c = Completion.objects.create(
        course=r8, user=_colleague(org_a), organization=org_a, completed_at=timezone.now()
    )
    assert services.issue_certificate(c).number == "R8-00001"
    cert = Certificate.objects.get(number="R7-00002")
    assert cert.file.read().startswith(b"%PDF")
    assert len({x.token for x in Certificate.objects.all()}) == 4


def test_certificate_batch_records_progress_and_is_safe_twice(
    coordinator, session, org_a, django_capture_on_commit_callbacks
):
    regs = [services.register(actor=_colleague(org_a), session=session) for _ in range(2)]
    with after(session):
        services.mark_attendance(actor=coordinator, session=session, registrations=regs, attendance="present")
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.certificate_batch_start(
                actor=coordinator, course=session.course, session=session
            )
        batch.refresh_from_db()
        assert (batch.status, batch.done, batch.total, batch.percent) == ("done", 2, 2, 100)
        services.certificate_batch_run(batch.pk)
        assert Certificate.objects.count() == 2
        again = services.certificate_batch_start(actor=coordinator, course=session.course, session=session)
        assert again.total == 0


def test_certificate_batch_failure_is_recorded(coordinator, session, org_a, monkeypatch):
    reg = services.register(actor=_colleague(org_a), session=session)
    batch = CertificateBatch.objects.create(
        course=session.course, session=session, requested_by=coordinator, total=1
    )

    def broken(certificate, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(services, "render_certificate", broken)
    with after(session):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        with pytest.raises(RuntimeError):
            services.certificate_batch_run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "renderer down" in batch.error
    assert Certificate.objects.count() == 0


def _video_course():
    course = Course.objects.get(fiscal_year=2025, code="commissioners-intro-video")
    modules = []
    for i in range(2):
        m = VideoModule.objects.create(
            course=course, order=i + 1, title=f"第{i + 1}章", video_url="https://v.example.jp/x"
        )
        QuizQuestion.objects.create(module=m, text="相談窓口は？", choices=["区市町村", "なし"], answer=0)
        QuizQuestion.objects.create(module=m, text="家族支援は？", choices=["大切", "不要"], answer=0)
        modules.append(m)
    return course, modules


def test_video_quiz_pass_records_progress_and_completes_course():
    org = OrganizationFactory(
        kind="commissioners", name="甲市民生委員児童委員協議会", code=None, municipality_kind=""
    )
    learner = MembershipFactory(organization=org, role=Membership.Role.MEMBER).user
    course, modules = _video_course()
    q = list(modules[0].questions.all())
    failed = services.quiz_submit(actor=learner, module=modules[0], answers={q[0].pk: 0, q[1].pk: 1})
    assert (failed.score, failed.passed) == (50, False)
    passed = services.quiz_submit(actor=learner, module=modules[0], answers={q[0].pk: 0, q[1].pk: 0})
    assert passed.passed and not passed.course_completed
    q2 = list(modules[1].questions.all())
    last = services.quiz_submit(actor=learner, module=modules[1], answers={x.pk: 0 for x in q2})
    assert last.course_completed
    assert Completion.objects.get(course=course, user=learner).organization == org


def test_video_quiz_is_for_the_course_audience(member_a):
    _course, modules = _video_course()
    with pytest.raises(PermissionDenied):
        services.quiz_submit(actor=member_a, module=modules[0], answers={})


def test_video_upload_is_sniffed(coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course, _modules = _video_course()
    fake = SimpleUploadedFile("movie.mp4", b"%PDF-1.4 not a video", content_type="video/mp4")
    with pytest.raises(ValidationError):
        services.module_save(actor=coordinator, course=course, upload=fake, title="x", order=3, minutes=5)
    mp4 = SimpleUploadedFile(
        "movie.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, content_type="video/mp4"
    )
    module = services.module_save(actor=coordinator, course=course, upload=mp4, title="x", order=3, minutes=5)
    assert module.video_type == "video/mp4"
    assert module.video.name.endswith(".mp4")


def test_session_update_refuses_capacity_below_seats_and_stale_version(coordinator, session, org_a):
    from portal.core.exceptions import StaleEdit

    for _ in range(2):
        services.register(actor=_colleague(org_a), session=session)
    with pytest.raises(ValidationError):
        services.session_update(
            actor=coordinator, session=session, based_on_version=session.version, capacity=1
        )
    services.session_update(actor=coordinator, session=session, based_on_version=session.version, capacity=3)
    with pytest.raises(StaleEdit):
        services.session_update(actor=coordinator, session=session, based_on_version=1, capacity=4)


def test_bigger_room_offers_seats_to_the_waiting_list(coordinator, session, org_a):
    regs = [services.register(actor=_colleague(org_a), session=session) for _ in range(3)]
    assert regs[2].status == "waitlisted"
    services.session_update(actor=coordinator, session=session, based_on_version=session.version, capacity=3)
    regs[2].refresh_from_db()
    assert regs[2].status == "offered"


def test_session_cancel_releases_everyone(coordinator, session, org_a):
    regs = [services.register(actor=_colleague(org_a), session=session) for _ in range(3)]
    services.session_cancel(actor=coordinator, session=session)
    assert set(Registration.objects.filter(pk__in=[r.pk for r in regs]).values_list("status", flat=True)) == {
        "cancelled"
    }
    assert not Reservation.objects.filter(resource__key=session.capacity_key, status="booked").exists()
