"""The signed-in person is loaded with their expert profile, second factor and unread count in one
query, and those answers are the ones the rest of the request uses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.accounts import permissions
from portal.accounts.backends import load_signed_in
from portal.accounts.middleware import has_mfa

from ..factories import ExpertProfileFactory, NotificationFactory, UserFactory, enroll_totp

pytestmark = pytest.mark.django_db

# The queries a page made before: the second factor, the expert profile and the unread count.
SEPARATE = re.compile(
    r'SELECT (1|%s) AS "a" FROM "mfa_authenticator"'
    r'|SELECT "accounts_expertprofile"\."id"'
    r'|SELECT COUNT\(\*\) AS "__count" FROM "core_notification"'
)


def test_a_person_without_profile_or_second_factor_reads_as_such():
    user = UserFactory()
    other = UserFactory()
    NotificationFactory(user=user)
    NotificationFactory(user=user, read_at=timezone.now())
    NotificationFactory(user=other)

    loaded = load_signed_in(user.pk)

    assert loaded == user and loaded.portal_unread == 1
    assert permissions.expert_profile(loaded) is None and not has_mfa(loaded)


def test_an_active_expert_with_a_second_factor_reads_as_such_and_an_inactive_profile_does_not():
    profile = ExpertProfileFactory()
    enroll_totp(profile.user)
    retired = ExpertProfileFactory(is_active=False)

    loaded, gone = load_signed_in(profile.user.pk), load_signed_in(retired.user.pk)

    assert permissions.expert_profile(loaded) == profile and has_mfa(loaded) and loaded.portal_unread == 0
    assert permissions.expert_profile(gone) is None


def test_an_unknown_or_inactive_person_is_not_signed_in(client):
    user = UserFactory(is_active=False)
    client.force_login(UserFactory())
    backend = client.session["_auth_user_backend"]

    assert import_string(backend)().get_user(user.pk) is None
    assert import_string(backend)().get_user(10**9) is None


def test_a_page_asks_nothing_more_about_the_person(client, login):
    profile = ExpertProfileFactory()
    enroll_totp(profile.user)
    NotificationFactory(user=profile.user)
    login(profile.user)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:dashboard"))

    assert response.status_code == 200
    assert '<span class="badge">1<span class="visually-hidden">' in response.content.decode()
    separate = [q["sql"] for q in queries.captured_queries if SEPARATE.match(q["sql"])]
    assert separate == []
