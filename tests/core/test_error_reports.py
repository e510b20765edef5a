"""Error reports: an exception in a view and in a Celery task each reach the Sentry endpoint once,
scrubbed (no request body, no case text, the user as an id only). The endpoint is a local HTTP
server that stores what the SDK sends, read back here."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.core import errors

CASE_TEXT = "本人に会えない。"
PHONE = "-".join(["090", "1234", "5678"])  # not in the source lines the event quotes


class _Capture(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the http.server interface)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli  # only if the SDK found it installed

            body = brotli.decompress(body)
        self.server.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint():
    import sentry_sdk

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Capture)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    errors.init_sentry(f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test")
    try:
        yield server
    finally:
        sentry_sdk.get_client().close(timeout=2)
        sentry_sdk.init(dsn=None)
        server.shutdown()
        server.server_close()


def _events(server) -> list[dict]:
    import sentry_sdk

    sentry_sdk.flush(timeout=5)
    events = []
    for envelope in server.received:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def _raw(server) -> bytes:
    return b"\n".join(server.received)


@pytest.mark.django_db
@pytest.mark.urls("tests.core.error_urls")
def test_a_view_exception_sends_one_scrubbed_event(client, sentry_endpoint, member_a):
    client.force_login(member_a)
    client.raise_request_exception = False

    response = client.post(
        "/boom/?pseudonym=Aさん",
        {
            "q": "相談者の氏名 山田太郎 連絡先 a.yamada@example.com",
            "difficulty": f"{CASE_TEXT}八王子市 090-1234-5678",
        },
    )

    assert response.status_code == 500
    events = _events(sentry_endpoint)
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["user"] == {"id": str(member_a.pk)}
    request = event.get("request", {})
    assert "data" not in request and "cookies" not in request and "query_string" not in request
    assert "Cookie" not in request.get("headers", {})
    assert event["tags"]["request_id"]
    raw = _raw(sentry_endpoint).decode()
    for secret in (CASE_TEXT, "山田太郎", "八王子市", "090-1234-5678", "a.yamada@", "Aさん", member_a.email):
        assert secret not in raw, secret
    assert not any("vars" in f for f in event["exception"]["values"][-1]["stacktrace"]["frames"])


@pytest.mark.django_db
def test_a_task_exception_sends_one_scrubbed_event(sentry_endpoint):
    from portal.celery import app

    @app.task(name="tests.errors.fails_with_case_text")
    def fails_with_case_text(text):
        raise ValueError(f"cannot process {text}")

    fails_with_case_text.apply(kwargs={"text": f"{CASE_TEXT} {PHONE}"}, throw=False)

    events = _events(sentry_endpoint)
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["transaction"] == "tests.errors.fails_with_case_text"
    assert event["exception"]["values"][-1]["mechanism"]["type"] == "celery"
    assert "extra" not in event  # the SDK's celery-job extra holds the task's arguments
    raw = _raw(sentry_endpoint).decode()
    assert CASE_TEXT not in raw and PHONE not in raw


def test_scrub_keeps_the_shape_and_drops_the_text():
    event = {
        "request": {
            "url": "https://p/cases/1/?q=x",
            "data": {"a": "b"},
            "headers": {"Cookie": "s", "Accept": "*/*"},
        },
        "user": {"id": 7, "email": "a@example.jp", "ip_address": "1.2.3.4"},
        "logentry": {"message": "saved %s", "params": ["本人"], "formatted": "saved 本人"},
        "extra": {"sys.argv": ["x"]},
    }

    scrubbed = errors.scrub_event(event)

    assert scrubbed["request"] == {"url": "https://p/cases/1/", "headers": {"Accept": "*/*"}}
    assert scrubbed["user"] == {"id": "7"}
    assert "本人" not in json.dumps(scrubbed, ensure_ascii=False)
    assert "extra" not in scrubbed
