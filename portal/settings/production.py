"""Production: every secret and address comes from the environment; nothing is defaulted.

The base settings fall back to development defaults (SQLite, mail written to files,
``http://127.0.0.1:8000`` in links) so that a new clone runs with no configuration. Production
must never run on those: a variable that is missing or points at a development default stops
the start with one error that names every problem.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import env
from .keys import secret_key_problems

REQUIRED = {
    "SECRET_KEY": "signing key",
    "ALLOWED_HOSTS": "host names the portal answers to",
    "MFA_ENCRYPTION_KEYS": "Fernet keys for TOTP secrets, newest first",
    "DATABASE_URL": "PostgreSQL, postgres://user:password@host:5432/name",
    "REDIS_URL": "broker, cache and rate limits shared by every process",
    "EMAIL_URL": "SMTP server, smtp+tls://user:password@host:587",
    "SITE_URL": "the portal's public https address, used in emails, ICS and QR codes",
}


def configuration_problems(environ) -> list[str]:
    """Every reason the environment cannot run production, in one list."""
    problems = [
        f"{name} is not set ({purpose})"
        for name, purpose in REQUIRED.items()
        if not environ.get(name, "").strip()
    ]
    problems += secret_key_problems(environ.get("SECRET_KEY", "").strip())
    database = environ.get("DATABASE_URL", "").strip()
    if database and urlsplit(database).scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        problems.append("DATABASE_URL must point at PostgreSQL (postgres://…)")
    site = environ.get("SITE_URL", "").strip()
    if site and (urlsplit(site).scheme != "https" or not urlsplit(site).hostname):
        problems.append(f"SITE_URL must be an https:// address (got {site!r})")
    email = environ.get("EMAIL_URL", "").strip()
    if email and not urlsplit(email).scheme.startswith("smtp"):
        problems.append("EMAIL_URL must name an SMTP server (smtp://, smtp+tls:// or smtp+ssl://)")
    return problems


_problems = configuration_problems(os.environ)
if _problems:
    raise ImproperlyConfigured(
        "Production settings cannot start:\n" + "\n".join(f"  - {p}" for p in _problems)
    )

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
SITE_URL = env.str("SITE_URL").rstrip("/")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

STORAGES = {
    **STORAGES,  # noqa: F405 (MEDIA_ROOT's file system, or the bucket of MEDIA_STORAGE=s3: base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logs: one JSON object per line on stderr, with the request id (portal/core/logs.py) ----------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.core.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "portal.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker's lines go through the JSON handler too

# --- Error reports: Sentry or GlitchTip when SENTRY_DSN is set (portal/core/errors.py) ------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.core.errors import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
