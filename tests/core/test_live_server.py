"""The test suite's live server (browser tests) leaves no request thread behind when it stops."""

import http.client
import threading

import pytest

from ..conftest import start_live_server


def _request_threads():
    return [t for t in threading.enumerate() if "process_request_thread" in t.name and t.is_alive()]


@pytest.mark.django_db(transaction=True)
def test_live_server_stop_ends_keep_alive_request_threads():
    before = set(_request_threads())
    server = start_live_server()
    client = http.client.HTTPConnection(server.thread.host, server.thread.port, timeout=10)
    try:
        client.request("GET", "/healthz", headers={"Connection": "keep-alive"})
        response = client.getresponse()
        response.read()
        assert response.status == 200
        # The browser keeps the connection open, as Chromium does between pages.

        server.stop()

        left = [t for t in _request_threads() if t not in before]
        assert left == [], "a request thread outlived the live server and its shared connection"
    finally:
        client.close()
