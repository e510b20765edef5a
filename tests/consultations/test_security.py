"""Residents and staff are apart: sessions, threads, sign-in lockout, no 利用者番号 enumeration."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.consultations import services
from portal.consultations.models import Resident

from .conftest import PASSWORD, resident_client, write

pytestmark = pytest.mark.django_db


def test_a_resident_cannot_open_another_residents_thread(resident, other_resident):
    theirs = write(other_resident)
    c = resident_client(resident)

    assert c.get(reverse("consultations:my_thread", args=[theirs.pk])).status_code == 404
    assert c.post(reverse("consultations:my_thread", args=[theirs.pk]), {"body": "x"}).status_code == 404
    assert theirs.subject not in c.get(reverse("consultations:my_page")).content.decode()


def test_a_staff_session_does_not_authenticate_a_resident_page(client, counsellor, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("consultations:my_page"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("consultations:sign_in"))


def test_a_resident_session_does_not_authenticate_a_staff_page(resident):
    c = resident_client(resident)
    for name in ("consultations:inbox", "consultations:record_list", "core:dashboard"):
        response = c.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("account_login")), name


def test_the_resident_cookie_is_its_own_and_scoped_to_the_residents_path(resident):
    c = Client()
    response = c.post(
        reverse("consultations:sign_in"), {"user_number": resident.user_number, "password": PASSWORD}
    )
    cookie = response.cookies["portal_resident"]
    assert cookie["path"] == "/consultation/"
    assert cookie["httponly"]
    assert "sessionid" not in response.cookies


def test_staff_cannot_sign_in_through_the_resident_sign_in(client, counsellor):
    response = client.post(
        reverse("consultations:sign_in"), {"user_number": counsellor.email, "password": "hikikomori-demo"}
    )
    assert response.status_code == 200
    assert "portal_resident" not in response.cookies or not response.cookies["portal_resident"].value


def test_sign_in_locks_after_repeated_failures_even_with_the_right_password(client, resident):
    url = reverse("consultations:sign_in")
    for _ in range(5):
        assert client.post(url, {"user_number": resident.user_number, "password": "wrong"}).status_code == 200
    locked = client.post(url, {"user_number": resident.user_number, "password": PASSWORD})
    assert locked.status_code == 200


def test_unknown_and_known_user_numbers_get_the_same_answer(client, resident):
    url = reverse("consultations:sign_in")
    known = client.post(url, {"user_number": resident.user_number, "password": "wrong"}).content.decode()
    unknown = client.post(url, {"user_number": "ACDEFHJKMNPQ", "password": "wrong"}).content.decode()
    strip = lambda html: html.replace(resident.user_number, "").replace("ACDEFHJKMNPQ", "")  # noqa: E731
    assert (
        strip(known).split('name="csrfmiddlewaretoken"')[0]
        == strip(unknown).split('name="csrfmiddlewaretoken"')[0]
    )


def test_reset_and_registration_answer_the_same_for_known_and_unknown_addresses(client, resident):
    for name in ("consultations:reset", "consultations:register"):
        known = client.post(reverse(name), {"email": resident.email}).content.decode()
        unknown = client.post(reverse(name), {"email": "nobody@example.jp"}).content.decode()
        assert known.replace(resident.email, "X") == unknown.replace("nobody@example.jp", "X"), name


def test_registering_a_known_address_makes_no_second_account(
    client, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultations:register"), {"email": resident.email})
    assert Resident.objects.filter(email=resident.email).count() == 1
    assert "/consultation/register/" not in mail.outbox[-1].body


def test_registration_is_rate_limited_per_address(client, settings):
    settings.RESIDENT_RATE_LIMIT = (3, 600)
    for i in range(3):
        client.post(reverse("consultations:register"), {"email": f"p{i}@example.jp"})
    response = client.post(reverse("consultations:register"), {"email": "p9@example.jp"})
    assert "too many" in response.content.decode().lower() or "試行" in response.content.decode()


def test_user_numbers_are_random_unambiguous_and_not_sequential(db):
    numbers = [services.new_user_number() for _ in range(200)]
    assert len(set(numbers)) == 200
    assert all(len(n) == 12 and not set(n) & set("0O1IL2Z5S6G8B") for n in numbers)
    assert sorted(numbers) != numbers


def test_a_password_reset_ends_the_old_sessions(resident, django_capture_on_commit_callbacks):
    c = resident_client(resident)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("consultations:reset"), {"email": resident.email})
    token = mail.outbox[-1].body.split("/consultation/reset/")[1].split("/")[0]
    services.reset_complete(token=token, password="another-long-password")
    assert c.get(reverse("consultations:my_page")).status_code == 302


def test_leaving_closes_threads_and_ends_the_sign_in(resident):
    thread = write(resident)
    c = resident_client(resident)
    response = c.post(reverse("consultations:leave"), {"confirm": "on"})
    assert response.status_code == 200
    thread.refresh_from_db()
    resident.refresh_from_db()
    assert thread.status == "closed" and not resident.is_active
    again = Client().post(
        reverse("consultations:sign_in"), {"user_number": resident.user_number, "password": PASSWORD}
    )
    assert again.status_code == 200


def test_internal_notes_are_never_shown_to_the_resident(counsellor, resident):
    thread = write(resident)
    services.note_add(actor=counsellor, thread=thread, body="内部メモ：次回は家族の話を")
    page = (
        resident_client(resident).get(reverse("consultations:my_thread", args=[thread.pk])).content.decode()
    )
    assert "内部メモ" not in page


def test_staff_without_the_counsellor_role_cannot_read_threads(client, admin_a, resident):
    thread = write(resident)
    client.force_login(admin_a)
    assert client.get(reverse("consultations:thread_detail", args=[thread.pk])).status_code == 403
    assert client.get(reverse("consultations:inbox")).status_code == 403


def test_a_counsellor_is_not_a_coordinator(counsellor):
    from portal.accounts.permissions import is_coordinator, is_counsellor

    assert is_counsellor(counsellor) and not is_coordinator(counsellor)


def test_idle_resident_session_ends(resident, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC))
    c = resident_client(resident)
    time_machine.move_to(dt.datetime(2026, 12, 7, 10, 45, tzinfo=dt.UTC))
    assert c.get(reverse("consultations:my_page")).status_code == 302
