"""A small HTTP client for walking a running portal as a person does: cookies kept by hand (the
session cookie is Secure while the walk speaks plain HTTP behind X-Forwarded-Proto, as a
TLS-terminating proxy would), CSRF tokens read from the forms, TOTP codes computed (RFC 6238).
Used by bench/scale.py and scripts/serve_smoke.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import re
import struct
import time
from urllib.parse import urlencode


class Browser:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(
        self, method: str, path: str, data: dict | None = None, *, read_limit: int | None = None, timeout=300
    ):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": "https://127.0.0.1/accounts/login/",
            "Accept-Language": "ja",
        }
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "https://127.0.0.1"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        content = response.read() if read_limit is None else _slow_read(response)
        conn.close()
        return response.status, dict(response.getheaders()), content


def _slow_read(response, rate: float = 8 * 1024 * 1024) -> bytes:
    """Read at ``rate`` bytes a second, as a client on a real network would: 200 MB take 25 s."""
    total, began = 0, time.perf_counter()
    while chunk := response.read(256 * 1024):
        total += len(chunk)
        ahead = total / rate - (time.perf_counter() - began)
        if ahead > 0:
            time.sleep(ahead)
    return b""


def totp(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret)
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _csrf(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1).decode()


def sign_in(port: int, email: str, password: str, totp_secret: str) -> Browser:
    """Through the real form: the password, then the TOTP code when the account has one."""
    browser = Browser(port)
    _, _, html = browser.request("GET", "/accounts/login/")
    status, headers, html = browser.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": _csrf(html), "login": email, "password": password},
    )
    location = headers.get("Location", "")
    if status == 302 and "2fa" in location:
        _, _, html = browser.request("GET", location)
        status, headers, _ = browser.request(
            "POST", location, {"csrfmiddlewaretoken": _csrf(html), "code": totp(totp_secret)}
        )
    if status != 302:
        raise RuntimeError(f"{email} could not sign in (HTTP {status})")
    status, _, _ = browser.request("GET", "/dashboard/")
    if status != 200:
        raise RuntimeError(f"{email} signed in but the dashboard answered {status}")
    return browser
