"""Test settings: fast hashing, in-memory mail; PostgreSQL/Redis when the variables say so."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import CACHES, INSTALLED_APPS, REDIS_URL, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES["default"]["KEY_PREFIX"] = "test"
# Tasks run in-process, after commit, exactly as a worker would run them.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
MEDIA_ROOT = str(VAR_DIR / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
LANGUAGE_CODE = "ja"
# Static files straight from the source folders (no collectstatic in tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The suite seeds the demo (browser tests, demo tests) with DEBUG off.
DEMO_DATA_ALLOWED = True
# Development tools (national-scale data for benchmarks): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "portal.devtools"]
