"""Production settings refuse development defaults; `make run` points links at its own port."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

COMPLETE = {
    "SECRET_KEY": "Vq3t9PzL0cWm7R-2kYb_J8xHsN4eDgA6uFi1oTnC5yXr0MhQwKj2BvZpEa7LsG9dUc",
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


@pytest.mark.parametrize(
    ("key", "message"),
    [
        # the key base.py ships for development
        ("dev-only-insecure-key-change-me-hikikomori-support-portal", "the repository's development key"),
        ("Vq3t9PzL0cWm7R-2kYb_J8xHsN4eDgA6uFi1oTn", "shorter than 50 characters"),
        ("x" * 64, "too little entropy"),
        ("secret" * 10, "too little entropy"),
        ("abcdefghijklmnopqrstuvwxyz0123456789" * 2, "too little entropy"),
    ],
)
def test_production_settings_refuse_a_weak_secret_key(tmp_path, key, message):
    result = _load_production(tmp_path, SECRET_KEY=key)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_secret_key_check_accepts_generated_keys():
    import secrets

    from django.core.management.utils import get_random_secret_key

    from portal.settings.keys import secret_key_problems

    for _ in range(200):
        assert secret_key_problems(get_random_secret_key()) == []
        assert secret_key_problems(secrets.token_urlsafe(50)) == []
        assert secret_key_problems(secrets.token_hex(32)) == []


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
