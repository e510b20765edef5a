"""Production settings refuse development defaults; `make run` points links at its own port."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

COMPLETE = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "portal.example.jp",
    "MFA_ENCRYPTION_KEYS": "q6bqUYkCRQ1mFgN8W0Wl7PzKjEUd2S1m3vDkKDRQ7Uk=",
    "DATABASE_URL": "postgres://portal:portal@127.0.0.1:5432/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.jp:587",
    "SITE_URL": "https://portal.example.jp",
}


def _load_production(tmp_path, **overrides):
    """Import the production settings in a fresh interpreter with only the given variables."""
    env = {k: v for k, v in os.environ.items() if k not in COMPLETE and not k.startswith("DJANGO")}
    env.update(COMPLETE)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", PORTAL_VAR_DIR=str(tmp_path))
    code = (
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.EMAIL_BACKEND, settings.SITE_URL)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_load_with_every_variable(tmp_path):
    result = _load_production(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.mail.backends.smtp.EmailBackend",
        "https://portal.example.jp",
    ]


def test_production_settings_name_every_missing_variable(tmp_path):
    result = _load_production(tmp_path, DATABASE_URL=None, EMAIL_URL=None, SITE_URL=None)

    assert result.returncode != 0
    error = result.stderr.strip().splitlines()
    assert "ImproperlyConfigured" in result.stderr
    for name in ("DATABASE_URL", "EMAIL_URL", "SITE_URL"):
        assert any(line.strip().startswith(f"- {name} is not set") for line in error), result.stderr
    assert "SECRET_KEY" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "sqlite:////tmp/portal.sqlite3", "DATABASE_URL must point at PostgreSQL"),
        ("SITE_URL", "http://127.0.0.1:8000", "SITE_URL must be an https:// address"),
        ("EMAIL_URL", "filemail:///tmp/mail", "EMAIL_URL must name an SMTP server"),
    ],
)
def test_production_settings_refuse_development_values(tmp_path, variable, value, message):
    result = _load_production(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_make_run_points_links_at_its_port():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    served = [line for line in result.stdout.splitlines() if "scripts/run.sh" in line]
    assert served and "SITE_URL=http://127.0.0.1:8123" in served[0]
    seeded = [line for line in result.stdout.splitlines() if "seed_demo" in line]
    assert seeded and "SITE_URL=http://127.0.0.1:8123" in seeded[0]
