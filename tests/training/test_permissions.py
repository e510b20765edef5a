"""Permission matrix of the training URLs (joined into tests/test_permission_matrix.py)."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.training import services
from portal.training.models import CertificateBatch, Course, QuizQuestion

from ..factories import MembershipFactory, OrganizationFactory
from ..test_permission_matrix import Rule, check_get_is_safe, check_rule, matrix_cases
from .conftest import after, make_session


@dataclass
class TrainingWorld:
    coordinator: object
    admin_a: object
    member_a: object
    admin_b: object
    colleague: object
    commissioner: object
    course: object
    video_course: object
    session: object
    registration: object
    certificate: object
    module: object
    batch: object


@pytest.fixture
def training_world(coordinator, org_a, admin_a, member_a, admin_b):
    course = Course.objects.get(fiscal_year=2025, code="supporters-intro")
    video_course = Course.objects.get(fiscal_year=2025, code="commissioners-intro-video")
    session = make_session(coordinator, course, capacity=10)
    done = make_session(coordinator, course, capacity=10, days=30)
    registration = services.register(actor=member_a, session=session)
    attended = services.register(actor=member_a, session=done)
    with after(done):
        services.mark_attendance(
            actor=coordinator, session=done, registrations=[attended], attendance="present"
        )
        batch = CertificateBatch.objects.create(course=course, requested_by=coordinator)
        certificate = services.issue_certificate(
            attended.session.course.completions.get(user=member_a), batch=batch
        )
    module = services.module_save(
        actor=coordinator,
        course=video_course,
        title="第1章",
        order=1,
        minutes=10,
        upload=SimpleUploadedFile("a.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4"),
    )
    QuizQuestion.objects.create(module=module, text="問", choices=["はい", "いいえ"], answer=0)
    commissioners = OrganizationFactory(kind="commissioners", name="民児協", code=None, municipality_kind="")
    return TrainingWorld(
        coordinator=coordinator,
        admin_a=admin_a,
        member_a=member_a,
        admin_b=admin_b,
        colleague=MembershipFactory(organization=org_a).user,
        commissioner=MembershipFactory(organization=commissioners).user,
        course=course,
        video_course=video_course,
        session=session,
        registration=registration,
        certificate=certificate,
        module=module,
        batch=batch,
    )


def on(name):
    return lambda w: {"pk": getattr(w, name).pk}


COORD_GET = {
    "right": ("coordinator", 200),
    "wrong_role": ("member_a", 403),
    "not_applicable": "coordinators only",
}
COORD_POST = {
    "right": ("coordinator", 302),
    "wrong_role": ("member_a", 403),
    "not_applicable": "coordinators only",
}
AUDIENCE = "the course's audience decides; another audience gets 404"

TRAINING_MATRIX: dict[str, Rule] = {
    "training:catalogue": Rule("GET", right=("member_a", 200), not_applicable="filtered by audience"),
    "training:course_create": Rule("GET", **COORD_GET),
    "training:catalogue_copy": Rule("POST", data=lambda w: {"to_year": 2026}, **COORD_POST),
    "training:course_detail": Rule(
        "GET",
        kwargs=on("course"),
        right=("member_a", 200),
        other_org=("commissioner", 404),
        not_applicable=AUDIENCE,
    ),
    "training:course_edit": Rule("GET", kwargs=on("course"), **COORD_GET),
    "training:session_create": Rule("GET", kwargs=on("course"), **COORD_GET),
    "training:module_add": Rule(
        "POST",
        kwargs=on("video_course"),
        data=lambda w: {"order": 2, "title": "第2章", "minutes": 5, "video_url": "https://v.example.jp/2"},
        **COORD_POST,
    ),
    "training:certificates_issue": Rule(
        "POST", kwargs=on("course"), data=lambda w: {"confirmed": "1"}, **COORD_POST
    ),
    "training:session_detail": Rule(
        "GET",
        kwargs=on("session"),
        right=("member_a", 200),
        other_org=("commissioner", 404),
        not_applicable=AUDIENCE,
    ),
    "training:session_edit": Rule("GET", kwargs=on("session"), **COORD_GET),
    "training:session_cancel": Rule(
        "POST", kwargs=on("session"), data=lambda w: {"confirmed": "1"}, **COORD_POST
    ),
    "training:register": Rule(
        "POST",
        kwargs=on("session"),
        right=("admin_b", 302),
        other_org=("commissioner", 404),
        not_applicable=AUDIENCE,
    ),
    "training:register_colleagues": Rule(
        "POST",
        kwargs=on("session"),
        right=("admin_a", 200),
        wrong_role=("member_a", 403),
        other_org=("commissioner", 404),
        data=lambda w: {"users": [w.colleague.pk]},
    ),
    "training:session_ics": Rule(
        "GET",
        kwargs=on("session"),
        right=("member_a", 200),
        other_org=("commissioner", 404),
        not_applicable=AUDIENCE,
    ),
    "training:roster": Rule("GET", kwargs=on("session"), **COORD_GET),
    "training:roster_pdf": Rule("GET", kwargs=on("session"), **COORD_GET),
    "training:registration_cancel": Rule(
        "POST",
        kwargs=on("registration"),
        right=("member_a", 302),
        wrong_role=("colleague", 403),
        other_org=("admin_b", 404),
    ),
    "training:offer_accept": Rule(
        "POST",
        kwargs=on("registration"),
        right=("member_a", 302),
        wrong_role=("admin_a", 403),
        other_org=("admin_b", 404),
    ),
    "training:module_detail": Rule(
        "GET",
        kwargs=on("module"),
        right=("commissioner", 200),
        other_org=("member_a", 404),
        not_applicable=AUDIENCE,
    ),
    "training:module_video": Rule(
        "GET",
        kwargs=on("module"),
        right=("commissioner", 200),
        other_org=("member_a", 404),
        not_applicable=AUDIENCE,
    ),
    "training:question_add": Rule(
        "POST",
        kwargs=on("module"),
        data=lambda w: {"text": "問2", "choices": "はい\nいいえ", "answer": 1},
        **COORD_POST,
    ),
    "training:batch_detail": Rule("GET", kwargs=on("batch"), **COORD_GET),
    "training:batch_status": Rule("GET", kwargs=on("batch"), **COORD_GET),
    "training:batch_zip": Rule("GET", kwargs=on("batch"), **COORD_GET),
    "training:certificate_download": Rule(
        "GET",
        kwargs=on("certificate"),
        right=("member_a", 200),
        wrong_role=("colleague", 403),
        other_org=("admin_b", 404),
    ),
    "training:verify": Rule(
        "GET",
        kwargs=lambda w: {"token": w.certificate.token},
        right=("member_a", 200),
        anonymous=200,
        not_applicable="public verification page (name and course only)",
    ),
    "training:transcript": Rule("GET", right=("member_a", 200), not_applicable="one's own record only"),
    "training:member_transcript": Rule(
        "GET",
        kwargs=lambda w: {"pk": w.member_a.pk},
        right=("admin_a", 200),
        wrong_role=("colleague", 403),
        other_org=("admin_b", 404),
    ),
    "training:organization": Rule(
        "GET", right=("admin_a", 200), wrong_role=("member_a", 403), not_applicable="own organisations only"
    ),
    "training:export": Rule("GET", **COORD_GET),
}

CASES = matrix_cases(TRAINING_MATRIX)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_training_permission_matrix(client, training_world, name, case):
    check_rule(client, training_world, TRAINING_MATRIX[name], name, case)


@pytest.mark.parametrize("name", [n for n, r in TRAINING_MATRIX.items() if r.method == "GET"])
def test_training_pages_get_never_changes_state(client, training_world, name):
    check_get_is_safe(client, training_world, TRAINING_MATRIX[name], name)


def test_wrong_registration_ids_are_404(client, training_world):
    client.force_login(training_world.member_a)
    assert client.post(reverse("training:registration_cancel", args=[999999])).status_code == 404
