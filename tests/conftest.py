import contextlib
import os
import shutil
import socket
import threading

import pytest
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer

from portal.accounts import services as account_services
from portal.accounts.models import Membership

from .factories import (
    ExpertProfileFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnerFactory,
    SecretariatFactory,
    UserFactory,
    enroll_totp,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    from portal.core import pii

    cache.clear()
    pii.clear_public_numbers()  # published numbers are cached per process for a few minutes
    yield
    cache.clear()
    pii.clear_public_numbers()


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


@pytest.fixture
def coordinator(secretariat):
    user = UserFactory(email="coord@example.jp", display_name="調整 太郎")
    account_services.membership_add(
        actor=None, user=user, organization=secretariat, role=Membership.Role.ADMIN
    )
    enroll_totp(user)
    user.refresh_from_db()
    return user


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="甲市", code="139001")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="乙区", code="139002", municipality_kind="ward")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="テスト支援ネット")


@pytest.fixture
def admin_a(org_a):
    return MembershipFactory(
        organization=org_a, role=Membership.Role.ADMIN, user__email="admin-a@example.jp"
    ).user


@pytest.fixture
def member_a(org_a):
    return MembershipFactory(
        organization=org_a, role=Membership.Role.MEMBER, user__email="member-a@example.jp"
    ).user


@pytest.fixture
def admin_b(org_b):
    return MembershipFactory(
        organization=org_b, role=Membership.Role.ADMIN, user__email="admin-b@example.jp"
    ).user


@pytest.fixture
def partner_member(partner):
    return MembershipFactory(organization=partner, user__email="npo@example.jp").user


@pytest.fixture
def expert(db):
    profile = ExpertProfileFactory(user__email="expert@example.jp")
    enroll_totp(profile.user)
    return profile.user


@pytest.fixture
def login(client):
    """Sign a person in (their session is fresh, as after a real sign-in)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return _login


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


class ClosingLiveServer(ThreadedWSGIServer):
    """The live server, minus the thread that outlives it.

    Django's live server serves each browser connection in a daemon thread and forgets it. A
    browser's keep-alive connection therefore outlives ``live_server.stop()``; when the browser
    finally drops it, that thread closes the in-memory SQLite connection it shared with the test
    thread, after the sharing was withdrawn, and the DatabaseError lands in whichever test runs
    then. This server ends its open connections on close and waits for their threads, so every
    request thread has finished before the live server gives the database connection back.
    """

    daemon_threads = False
    block_on_close = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._open_requests: set = set()
        self._open_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open_requests.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open_requests.discard(request)
        super().shutdown_request(request)

    def server_close(self):
        with self._open_lock:
            still_open = list(self._open_requests)
        for request in still_open:
            with contextlib.suppress(OSError):  # already closed by the browser
                request.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting on keep-alive
        super().server_close()  # joins the request threads (block_on_close)


def start_live_server(addr: str = "localhost"):
    """pytest-django's LiveServer, serving through ClosingLiveServer."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(addr, start=False)
    server.thread.server_class = ClosingLiveServer
    server.start()
    return server


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live_server (same address option), with request threads joined on stop."""
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = start_live_server(addr)
    yield server
    server.stop()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database (browser tests, transactional races) must run after every test
    that reads data migrations (the training catalogue). pytest groups tests by session-scoped
    fixtures, so a test naming a pytest-playwright fixture (``context``, ``page`` …) by accident is
    moved among the browser tests; say so instead of failing later for a missing catalogue."""
    flushing = None
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        transactional = (
            "live_server" in names
            or "transactional_db" in names
            or bool(marker and marker.kwargs.get("transaction"))
        )
        uses_db = marker is not None or "db" in names
        if transactional:
            flushing = flushing or item.nodeid
        elif uses_db and flushing:
            raise pytest.UsageError(
                f"{item.nodeid} would run after {flushing}, which empties the database; "
                "rename any argument that shares a name with a pytest-playwright fixture"
            )
