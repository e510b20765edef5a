import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.training import services
from portal.training.models import Certificate, Completion, Course, Registration, Session

from ..factories import MembershipFactory
from ..queries import assert_flat
from .conftest import after, make_session

pytestmark = pytest.mark.django_db


def test_register_page_flow_and_full_session_message(client, session, member_a, org_a):
    client.force_login(member_a)
    page = client.get(reverse("training:session_detail", args=[session.pk]))
    assert "ひきこもり概論" in page.content.decode()
    response = client.post(reverse("training:register", args=[session.pk]), follow=True)
    assert Registration.objects.get(user=member_a).status == "confirmed"
    assert "申込み" in response.content.decode() or "登録" in response.content.decode()


def test_refused_registration_shows_the_reason(client, coordinator, case_study, member_a):
    session = make_session(coordinator, case_study)
    client.force_login(member_a)
    page = client.get(reverse("training:session_detail", args=[session.pk]))
    assert "ひきこもり概論" in page.content.decode()  # the missing prerequisite is named
    response = client.post(reverse("training:register", args=[session.pk]))
    assert response.status_code == 400
    assert "ひきこもり概論" in response.content.decode()
    assert not Registration.objects.exists()


def test_admin_registers_colleagues_and_sees_results(client, session, admin_a, org_a):
    colleagues = [MembershipFactory(organization=org_a).user for _ in range(3)]
    client.force_login(admin_a)
    response = client.post(
        reverse("training:register_colleagues", args=[session.pk]), {"users": [c.pk for c in colleagues]}
    )
    assert response.status_code == 200
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert "キャンセル待ち" in response.content.decode()


def test_session_form_defaults_deadline_time_to_17(client, coordinator, intro):
    client.force_login(coordinator)
    page = client.get(reverse("training:session_create", args=[intro.pk]))
    assert 'value="17:00"' in page.content.decode()
    start = timezone.localtime() + dt.timedelta(days=30)
    response = client.post(
        reverse("training:session_create", args=[intro.pk]),
        {
            "label": "第3回",
            "starts_at": start.strftime("%Y-%m-%dT14:00"),
            "ends_at": start.strftime("%Y-%m-%dT16:00"),
            "venue": "都庁",
            "capacity": 30,
            "opens_at": timezone.localtime().strftime("%Y-%m-%dT09:00"),
            "audience": ["municipality"],
            "deadline_date": (start - dt.timedelta(days=7)).strftime("%Y-%m-%d"),
            "deadline_time": "17:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = intro.sessions.get(label="第3回")
    assert timezone.localtime(session.registration_deadline).strftime("%H:%M") == "17:00"


def test_bad_session_input_keeps_what_was_typed(client, coordinator, intro):
    client.force_login(coordinator)
    response = client.post(
        reverse("training:session_create", args=[intro.pk]),
        {"label": "第9回 入力中", "venue": "区民会館", "capacity": 20, "audience": ["partner"]},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "第9回 入力中" in html and "区民会館" in html
    assert "必須" in html


def test_video_is_served_with_ranges(client, coordinator):
    course = Course.objects.get(fiscal_year=2025, code="commissioners-intro-video")
    body = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    module = services.module_save(
        actor=coordinator,
        course=course,
        title="第1章",
        order=1,
        minutes=10,
        upload=SimpleUploadedFile("a.mp4", body, "video/mp4"),
    )
    client.force_login(coordinator)
    url = reverse("training:module_video", args=[module.pk])
    whole = client.get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == body
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(body)}"
    assert b"".join(part.streaming_content) == body[100:200]
    assert part["Content-Disposition"].startswith("inline")


def test_quiz_failure_keeps_answers_and_pass_completes(client, coordinator):
    from portal.training.models import QuizQuestion

    from ..factories import OrganizationFactory

    course = Course.objects.get(fiscal_year=2025, code="commissioners-family-video")
    module = services.module_save(
        actor=coordinator,
        course=course,
        title="家族の声",
        order=1,
        minutes=15,
        video_url="https://v.example.jp/f",
    )
    q = QuizQuestion.objects.create(module=module, text="まず何をする？", choices=["聴く", "叱る"], answer=0)
    org = OrganizationFactory(kind="commissioners", name="民児協", code=None, municipality_kind="")
    learner = MembershipFactory(organization=org).user
    client.force_login(learner)
    url = reverse("training:module_detail", args=[module.pk])
    failed = client.post(url, {f"q{q.pk}": "1"})
    assert failed.status_code == 400
    import re

    assert re.search(r'<input type="radio"[^>]*value="1"[^>]*checked', failed.content.decode())
    passed = client.post(url, {f"q{q.pk}": "0"})
    assert passed.status_code == 302
    assert Completion.objects.filter(course=course, user=learner).exists()


def test_batch_status_reports_progress(
    client, coordinator, session, org_a, django_capture_on_commit_callbacks
):
    reg = services.register(actor=MembershipFactory(organization=org_a).user, session=session)
    with after(session):
        client.force_login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_attendance(
                actor=coordinator, session=session, registrations=[reg], attendance="present"
            )
            response = client.post(
                reverse("training:certificates_issue", args=[session.course_id]),
                {"session": session.pk, "confirmed": "1"},
            )
        assert response.status_code == 302
        status = client.get(response.url.rstrip("/") + "/status/").json()
        page = client.get(response.url)
    assert status == {
        "status": "done",
        "status_label": status["status_label"],
        "done": 1,
        "total": 1,
        "percent": 100,
        "finished": True,
        "reload": True,
    }
    assert b"data-status-url" in page.content and b"<progress" in page.content


def test_verification_page_shows_name_and_course_only(client, coordinator, session, member_a):
    reg = services.register(actor=member_a, session=session)
    with after(session):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        cert = services.issue_certificate(Completion.objects.get(user=member_a))
    html = client.get(reverse("training:verify", args=[cert.token])).content.decode()
    assert cert.number in html and member_a.get_full_name() in html and "ひきこもり概論" in html
    assert member_a.email not in html and str(reg.organization) not in html
    assert client.get(reverse("training:verify", args=["forged-token"])).status_code == 404


def test_certificate_pdf_holds_number_and_qr(coordinator, session, member_a):
    import subprocess
    import tempfile

    reg = services.register(actor=member_a, session=session)
    with after(session):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        cert = services.issue_certificate(Completion.objects.get(user=member_a))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(Certificate.objects.get(pk=cert.pk).file.read())
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "")
    assert "修了証" in flat and cert.number in text and "取扱注意" not in text
    assert cert.token in text.replace("\n", "")


def test_year_export_has_attendance_and_completions(client, coordinator, session, member_a):
    import io

    import openpyxl

    reg = services.register(actor=member_a, session=session)
    services.mark_attendance(
        actor=coordinator, session=session, registrations=[reg], attendance="present", now=session.ends_at
    )
    client.force_login(coordinator)
    response = client.get(reverse("training:export") + "?year=2025")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [ws.max_row for ws in book.worksheets] == [2, 2]


def test_list_pages_query_counts(client, coordinator, intro, org_a, admin_a):
    session = make_session(coordinator, intro, capacity=500)
    client.force_login(coordinator)

    def register(n):
        for _ in range(n):
            user = MembershipFactory(organization=org_a).user
            reg = services.register(actor=user, session=session)
            services.mark_attendance(
                actor=coordinator,
                session=session,
                registrations=[reg],
                attendance="present",
                now=session.ends_at,
            )

    assert_flat(client, reverse("training:roster", args=[session.pk]), register)
    assert_flat(
        client,
        reverse("training:catalogue") + "?year=2025",
        lambda n: [make_session(coordinator, intro) for _ in range(n)],
    )
    assert_flat(
        client,
        reverse("training:course_detail", args=[intro.pk]),
        lambda n: [make_session(coordinator, intro) for _ in range(n)],
    )
    client.force_login(admin_a)
    assert_flat(client, reverse("training:organization"), register)


def test_transcript_query_count(client, coordinator, org_a, member_a):
    client.force_login(member_a)
    made = iter(range(1000))

    def complete(n):
        for _ in range(n):
            course = Course.objects.create(
                fiscal_year=2025,
                code=f"theme-{next(made)}",
                track="supporters",
                title="テーマ別研修",
                format="online",
                audience=["municipality"],
            )
            session = make_session(coordinator, course, capacity=5)
            reg = services.register(actor=member_a, session=session)
            with after(session):
                services.mark_attendance(
                    actor=coordinator, session=session, registrations=[reg], attendance="present"
                )
                services.issue_certificate(Completion.objects.get(user=member_a, course=course))

    assert_flat(client, reverse("training:transcript"), complete)


def test_session_page_and_video_course_query_counts(client, coordinator, intro, admin_a, org_a):
    from portal.training.models import VideoModule

    session = make_session(coordinator, intro, capacity=500)
    client.force_login(admin_a)

    def colleagues(n):
        for _ in range(n):
            services.register(actor=admin_a, session=session, user=MembershipFactory(organization=org_a).user)

    assert_flat(client, reverse("training:session_detail", args=[session.pk]), colleagues)
    video = Course.objects.get(fiscal_year=2025, code="commissioners-system-video")
    client.force_login(coordinator)
    made = iter(range(1000))
    assert_flat(
        client,
        reverse("training:course_detail", args=[video.pk]),
        lambda n: [
            VideoModule.objects.create(
                course=video, order=next(made), title="章", video_url="https://v.example.jp/x"
            )
            for _ in range(n)
        ],
    )


@pytest.mark.django_db
def test_roster_pages_searches_and_marks_attendance_for_the_ticked_lines_of_its_page(
    client, coordinator, intro, org_a, monkeypatch
):
    from portal.training import views as training_views

    monkeypatch.setattr(training_views, "ROSTER_PAGE", 3)
    session = make_session(coordinator, intro, capacity=10)
    names = ["青木 一", "井上 二", "上田 三", "江藤 四", "小川 五"]
    regs = [
        services.register(
            actor=MembershipFactory(organization=org_a, user__display_name=n).user, session=session
        )
        for n in names
    ]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    client.force_login(coordinator)
    url = reverse("training:roster", args=[session.pk])

    first, second = client.get(url), client.get(url + "?page=2")
    found = client.get(url, {"q": "上田"})
    ordered = sorted(names)  # one organisation: the roster is in name order
    target, untouched = (regs[names.index(ordered[i])] for i in (3, 0))
    bad = client.post(url + "?page=2", {"registrations": [target.pk], "attendance": "no-such"})
    done = client.post(url + "?page=2", {"registrations": [target.pk], "attendance": "present"})

    assert [line["name"] for line in first.context["lines"]] == ordered[:3]
    line = first.context["lines"][0]
    assert (line["organization"], line["status"]) == (str(org_a), regs[0].get_status_display())
    assert [line["name"] for line in second.context["lines"]] == ordered[3:]
    assert [line["name"] for line in found.context["lines"]] == ["上田 三"]
    assert bad.status_code == 400
    assert f'value="{target.pk}" id="id_registrations_0" checked' in bad.content.decode()
    assert done.status_code == 302 and done["Location"] == url + "?page=2"
    target.refresh_from_db()
    untouched.refresh_from_db()
    assert target.attendance == "present" and untouched.attendance != "present"
