"""CI: two web hosts, no shared disk. Starts moto's S3 server, then two gunicorn processes with the
production settings and MEDIA_STORAGE=s3, each in a working directory of its own (its own
PORTAL_VAR_DIR and an empty MEDIA_ROOT), against the PostgreSQL of DATABASE_URL. A case file is
uploaded through the portal's services; both hosts serve it to its municipality's user with the
uploaded bytes, refuse it to another organisation's user, and neither host's
MEDIA_ROOT receives a file.

    DATABASE_URL=postgres://…/portal_storage REDIS_URL=redis://…/7 .venv/bin/python scripts/storage_smoke.py
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from httpwalk import sign_in  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
BUCKET = "portal-media"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, what: str) -> None:
    for _ in range(240):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"{what} stopped") from None
            time.sleep(0.5)
    raise SystemExit(f"{what} did not start")


def main() -> int:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            print(f"{name} is not set", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="portal-storage-"))
    s3_port = _port()
    secret = hashlib.sha256(os.urandom(32)).hexdigest() + "Zq-"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secret,
        "MFA_ENCRYPTION_KEYS": "q6bqUYkCRQ1mFgN8W0Wl7PzKjEUd2S1m3vDkKDRQ7Uk=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "SITE_URL": "https://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "S3_BUCKET": BUCKET,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "portal",
        "S3_SECRET_ACCESS_KEY": "portal-secret",
        "PORTAL_VAR_DIR": str(work / "setup"),
        "MEDIA_ROOT": str(work / "setup" / "media"),
        # static files are part of the release (collected on each host at deploy), not shared state
        "STATIC_ROOT": str(work / "static"),
    }
    processes: list[subprocess.Popen] = []
    failures: list[str] = []
    try:
        s3 = subprocess.Popen(
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        processes.append(s3)
        _wait(s3_port, s3, "moto's S3 server")
        subprocess.run(
            [
                PYTHON,
                "-c",
                "import boto3,os; boto3.client('s3', endpoint_url=os.environ['S3_ENDPOINT_URL'], "
                "aws_access_key_id='portal', aws_secret_access_key='portal-secret', region_name='us-east-1')"
                f".create_bucket(Bucket='{BUCKET}')",
            ],
            env=env,
            check=True,
        )
        run = {"cwd": ROOT, "env": env, "check": True}
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
        subprocess.run([PYTHON, "manage.py", "seed_demo", "--i-know-this-is-not-production"], **run)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
        subprocess.run([PYTHON, "scripts/drill_portal.py", "write", "S3", str(work / "state.json")], **run)
        record = json.loads((work / "state.json").read_text())["S3"]

        hosts = []
        for name in ("web-1", "web-2"):
            home = work / name
            (home / "media").mkdir(parents=True)
            port = _port()
            host_env = {**env, "PORTAL_VAR_DIR": str(home / "var"), "MEDIA_ROOT": str(home / "media")}
            process = subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "portal.wsgi:application",
                    "--chdir",
                    str(ROOT),
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--forwarded-allow-ips",
                    "127.0.0.1",
                    "--log-level",
                    "warning",
                ],
                cwd=home,
                env=host_env,
                start_new_session=True,
            )
            processes.append(process)
            hosts.append((name, port, process, home))
        for name, port, process, _ in hosts:
            _wait(port, process, name)

        path = f"/cases/{record['case']}/attachments/{record['attachment']}/"
        for name, port, _, home in hosts:
            owner = sign_in(port, "hachioji@example.jp", "hikikomori-demo", "JBSWY3DPEHPK3PXP")
            status, _, body = owner.request("GET", path)
            if status != 200 or hashlib.sha256(body).hexdigest() != record["sha256"]:
                failures.append(f"{name}: {status}, the bytes served differ from the bytes uploaded")
            other = sign_in(port, "bunkyo@example.jp", "hikikomori-demo", "JBSWY3DPEHPK3PXP")
            status, _, _ = other.request("GET", path)
            if status != 404:
                failures.append(f"{name}: another municipality's user got {status}, not 404")
            stored = [p for p in (home / "media").rglob("*") if p.is_file()]
            if stored:
                failures.append(f"{name}: files written to its own disk: {stored}")
            print(f"{name} (working directory {home}): the case file from the bucket, sha256 as uploaded")
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(failure, file=sys.stderr)
    print("two web hosts served the same uploaded file from object storage" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
