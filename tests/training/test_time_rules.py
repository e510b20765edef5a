"""Attendance opens when the session starts; certificates only after it ended. A certificate
issued before the end is not called genuine by the verification page."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.training import services
from portal.training.models import Certificate, Completion

from ..factories import MembershipFactory
from .conftest import after, make_session

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # 令和8年11月30日（月）10:00 in Tokyo
START = dt.datetime(2026, 12, 25, 5, 0, tzinfo=dt.UTC)  # 令和8年12月25日（金）14:00 in Tokyo


@pytest.fixture
def christmas(coordinator, intro, org_a):
    with time_machine.travel(T0, tick=False):
        session = make_session(
            coordinator, intro, capacity=5, starts_at=START, ends_at=START + dt.timedelta(hours=2)
        )
        reg = services.register(actor=MembershipFactory(organization=org_a).user, session=session)
    return session, reg


def test_attendance_before_the_session_is_refused_naming_the_start(coordinator, christmas):
    session, reg = christmas
    with time_machine.travel(T0, tick=False), pytest.raises(ValidationError) as refused:
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
    assert "令和8年12月25日（金）14:00" in refused.value.messages[0]
    assert not Completion.objects.exists()
    with time_machine.travel(START, tick=False):
        assert (
            services.mark_attendance(
                actor=coordinator, session=session, registrations=[reg], attendance="present"
            )
            == 1
        )


def test_certificates_wait_until_the_session_ended(coordinator, christmas):
    session, reg = christmas
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        completion = Completion.objects.get()
        with pytest.raises(ValidationError) as refused:
            services.certificate_batch_start(actor=coordinator, course=session.course, session=session)
        assert "令和8年12月25日（金）16:00" in refused.value.messages[0]
        with pytest.raises(ValidationError):
            services.issue_certificate(completion)
        # A batch for the whole course leaves out the session still running.
        assert services.certificate_batch_start(actor=coordinator, course=session.course).total == 0
    assert not Certificate.objects.exists()
    with after(session):
        certificate = services.issue_certificate(completion)
    assert certificate.issued_at >= session.ends_at


def test_roster_and_issue_buttons_refuse_with_the_date(client, coordinator, christmas):
    session, reg = christmas
    with time_machine.travel(T0, tick=False):
        client.force_login(coordinator)
        page = client.post(
            reverse("training:roster", args=[session.pk]),
            {"registrations": [reg.pk], "attendance": "present"},
        )
        assert page.status_code == 400
        assert "令和8年12月25日（金）14:00" in page.content.decode()
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        # Weeks later: a new sign-in (the old session is past its 12-hour limit, and a cache that
        # keeps real time, such as Redis, would still hold it).
        client.logout()
        client.force_login(coordinator)
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        page = client.post(
            reverse("training:certificates_issue", args=[session.course_id]),
            {"session": session.pk, "confirmed": "1"},
            follow=True,
        )
    assert "令和8年12月25日（金）16:00" in page.content.decode()
    assert not Certificate.objects.exists()


def test_verification_page_does_not_call_an_early_certificate_genuine(client, coordinator, christmas):
    session, reg = christmas
    with after(session):
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        certificate = services.issue_certificate(Completion.objects.get())
    url = reverse("training:verify", args=[certificate.token])
    assert "正規のもの" in client.get(url).content.decode()
    # Recorded on 11/30 for the session of 12/25, before this rule existed.
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=T0)
    html = client.get(url).content.decode()
    assert "有効ではありません" in html and "正規のもの" not in html


def test_issuing_certificates_goes_through_a_confirmation_page(
    client, coordinator, christmas, django_capture_on_commit_callbacks
):
    session, reg = christmas
    url = reverse("training:certificates_issue", args=[session.course_id]) + f"?session={session.pk}"
    with after(session):
        client.force_login(coordinator)
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        roster = client.get(reverse("training:roster", args=[session.pk])).content.decode()
        assert url.replace("&", "&amp;") in roster
        page = client.get(url).content.decode()
        assert "修了した1人に修了証を発行します。" in page and "取り消せません" in page
        assert not Certificate.objects.exists()  # looking is not issuing
        unconfirmed = client.post(url, {"session": session.pk})
        assert unconfirmed.status_code == 200 and not Certificate.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(url, {"session": session.pk, "confirmed": "1"})
    assert done.status_code == 302
    assert Certificate.objects.count() == 1


def test_confirmation_page_before_the_end_refuses_with_the_date(client, coordinator, christmas):
    session, reg = christmas
    url = reverse("training:certificates_issue", args=[session.course_id]) + f"?session={session.pk}"
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        client.force_login(coordinator)
        services.mark_attendance(
            actor=coordinator, session=session, registrations=[reg], attendance="present"
        )
        page = client.get(url).content.decode()
    assert "修了証は開催回が終わってから発行できます" in page and "16:00" in page
    assert 'name="confirmed"' not in page


def test_finished_batch_links_each_certificate_and_zips_them_all(
    client, coordinator, intro, org_a, admin_b, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    session = make_session(coordinator, intro, capacity=5)
    regs = [
        services.register(actor=MembershipFactory(organization=org_a).user, session=session) for _ in range(3)
    ]
    with after(session):
        services.mark_attendance(actor=coordinator, session=session, registrations=regs, attendance="present")
        with django_capture_on_commit_callbacks(execute=True):
            batch = services.certificate_batch_start(actor=coordinator, course=intro, session=session)
    certificates = list(Certificate.objects.order_by("serial"))
    assert len(certificates) == 3
    client.force_login(coordinator)
    page = client.get(reverse("training:batch_detail", args=[batch.pk])).content.decode()
    for c in certificates:
        assert reverse("training:certificate_download", args=[c.pk]) in page and c.number in page
    zip_url = reverse("training:batch_zip", args=[batch.pk])
    assert zip_url in page
    response = client.get(zip_url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"修了証_{c.number}.pdf" for c in certificates)
    for c in certificates:
        with c.file.open("rb") as stored:
            assert archive.read(f"修了証_{c.number}.pdf") == stored.read()
    client.force_login(admin_b)
    assert client.get(zip_url).status_code == 403
    client.force_login(regs[0].user)
    assert client.get(zip_url).status_code == 403
