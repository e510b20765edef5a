"""CI: the documented deployment path, exercised. Starts what `make serve` runs, scripts/serve.sh
(production settings, gunicorn, Celery worker and beat; called directly, so that it never installs)
against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL with the demo data, signs in through
the login form as each demo role (TOTP where the role has it), and opens every page of that person's
navigation: each must answer 200.

    serve_smoke.py                       migrate and load the demo data first (CI's serve check)
    serve_smoke.py --existing-data       serve the database as it is (the restore drill's restored data)
    serve_smoke.py --download-case "CASE ATTACHMENT SHA256"
                                         also download that case file as its municipality's user and
                                         compare its bytes
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--existing-data", action="store_true", help="no migrate and demo data first")
    parser.add_argument("--download-case", default="", help='"case_pk attachment_pk sha256"')
    options = parser.parse_args(argv)
    port = _port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or SECRET,
        "MFA_ENCRYPTION_KEYS": os.environ.get("MFA_ENCRYPTION_KEYS")
        or base64.urlsafe_b64encode(hashlib.sha256(SECRET.encode()).digest()).decode(),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "hikikomori-demo"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": os.environ.get("EMAIL_URL", "smtp://127.0.0.1:2525"),
        "SITE_URL": "https://127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PORTAL_VAR_DIR": os.environ.get("PORTAL_VAR_DIR") or str(ROOT / "var" / "serve-smoke"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not env.get(name):
            print(f"{name} is not set", file=sys.stderr)
            return 2
    if not options.existing_data:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [PYTHON, "manage.py", "seed_demo", "--i-know-this-is-not-production"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    server = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, start_new_session=True)
    failures = []
    try:
        for _ in range(240):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    print("scripts/serve.sh stopped", file=sys.stderr)
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
        if options.download_case:
            failures += _download_case(port, password, *options.download_case.split())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def _download_case(port: int, password: str, case: str, attachment: str, sha256: str) -> list[str]:
    """The municipality's user downloads the case file through its permission-checked view."""
    browser = sign_in(port, "hachioji@example.jp", password, "JBSWY3DPEHPK3PXP")
    status, _, body = browser.request("GET", f"/cases/{case}/attachments/{attachment}/")
    if status != 200:
        return [f"case file {attachment}: {status}"]
    if hashlib.sha256(body).hexdigest() != sha256:
        return [f"case file {attachment}: the bytes served differ from the bytes uploaded"]
    print(f"case file {attachment}: downloaded through the portal, sha256 as uploaded")
    return []


if __name__ == "__main__":
    sys.exit(main())
