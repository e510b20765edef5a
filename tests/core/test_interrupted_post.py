"""A form sent after the session ended lands back on its page with a Japanese explanation; a GET on
a POST-only address and a missing CSRF token get the portal's own pages, not empty or English ones."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from ..accounts.test_auth import sign_in

FORM_PAGE = "/notifications/?page=2"


def _next_of(response) -> str:
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    return parse_qs(location.query)["next"][0]


@pytest.mark.django_db
def test_form_sent_after_the_idle_timeout_returns_to_its_page_after_sign_in(admin_a, client):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)) as traveller:
        sign_in(client, admin_a.email)
        traveller.shift(dt.timedelta(minutes=31))
        response = client.post(
            reverse("core:notification_read_all"), HTTP_REFERER=f"http://testserver{FORM_PAGE}"
        )

    assert response.status_code == 302
    assert _next_of(response) == FORM_PAGE  # not the POST-only address
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("保存されていません" in t for t in texts), texts


@pytest.mark.django_db
def test_form_sent_without_a_session_cookie_returns_to_its_page(client):
    response = client.post(
        reverse("core:notification_read_all"), HTTP_REFERER=f"http://testserver{FORM_PAGE}"
    )

    assert _next_of(response) == FORM_PAGE


@pytest.mark.django_db
def test_another_sites_referer_is_not_followed(client):
    response = client.post(
        reverse("core:notification_read_all"), HTTP_REFERER="https://evil.example.com/notifications/"
    )

    assert _next_of(response) == "/"


@pytest.mark.django_db
def test_a_get_request_keeps_its_own_next(client):
    response = client.get(reverse("core:notification_list"), HTTP_REFERER=f"http://testserver{FORM_PAGE}")

    assert _next_of(response) == reverse("core:notification_list")


@pytest.mark.django_db
def test_get_on_a_post_only_address_shows_a_japanese_page(admin_a, client):
    sign_in(client, admin_a.email)

    response = client.get(reverse("core:notification_read_all"), HTTP_REFERER=f"http://testserver{FORM_PAGE}")

    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = response.content.decode()
    assert "このページは直接開くことはできません" in html
    assert f'href="{FORM_PAGE}"' in html.replace("&amp;", "&")


@pytest.mark.django_db
def test_missing_csrf_token_shows_the_portals_japanese_page(admin_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)

    response = client.post(
        reverse("core:notification_read_all"), HTTP_REFERER=f"http://testserver{FORM_PAGE}"
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "フォームを送信できませんでした" in html
    assert "<title>エラー：" in html
    assert "CSRF verification failed" not in html


@pytest.mark.django_db
def test_a_redirect_to_sign_in_made_on_purpose_is_left_alone(rf):
    from django.http import HttpResponseRedirect

    from portal.core.middleware import InterruptedPostMiddleware

    request = rf.post("/invitations/abc/", HTTP_REFERER=f"http://testserver{FORM_PAGE}")
    middleware = InterruptedPostMiddleware(lambda r: HttpResponseRedirect(reverse("account_login")))

    response = middleware(request)

    assert response["Location"] == reverse("account_login")
