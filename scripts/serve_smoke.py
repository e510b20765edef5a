"""CI: the documented deployment path, exercised. Starts `make serve` (production settings, gunicorn,
Celery worker and beat) against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL with the demo
data, signs in through the login form as each demo role (TOTP where the role has it), and opens
every page of that person's navigation: each must answer 200."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from httpwalk import sign_in  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
ROLES = [
    "coordinator@example.jp",
    "hachioji@example.jp",
    "npo-a@example.jp",
    "lawyer@example.jp",
    "psychiatrist@example.jp",
]
SECRET = "serve-smoke-secret-key-not-for-production-0123456789abcdefghij"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    port = _port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": SECRET,
        "MFA_ENCRYPTION_KEYS": base64.urlsafe_b64encode(hashlib.sha256(SECRET.encode()).digest()).decode(),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "hikikomori-demo"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": os.environ.get("EMAIL_URL", "smtp://127.0.0.1:2525"),
        "SITE_URL": "https://127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PORTAL_VAR_DIR": str(ROOT / "var" / "serve-smoke"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(name):
            print(f"{name} is not set", file=sys.stderr)
            return 2
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "seed_demo", "--i-know-this-is-not-production"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(["make", "serve"], cwd=ROOT, env=env, start_new_session=True)
    failures = []
    try:
        for _ in range(240):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    print("make serve stopped", file=sys.stderr)
                    return 1
                time.sleep(0.5)
        password = env["DEMO_PASSWORD"]
        for email in ROLES:
            browser = sign_in(port, email, password, "JBSWY3DPEHPK3PXP")
            _, _, html = browser.request("GET", "/dashboard/")
            nav = re.search(rb"<nav[^>]*>(.*?)</nav>", html, re.S)
            links = sorted(set(re.findall(rb'href="(/[^"#?]*)"', nav.group(1) if nav else b"")))
            opened = 0
            for link in links:
                path = link.decode()
                if path.startswith(("/accounts/logout", "/i18n/")):
                    continue
                status, _, _ = browser.request("GET", path)
                opened += 1
                if status != 200:
                    failures.append(f"{email} {path} → {status}")
            print(f"{email}: signed in, {opened} pages of the navigation opened")
            if opened < 3:
                failures.append(f"{email}: only {opened} navigation pages found")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
