"""Production: every secret comes from the environment; nothing insecure is defaulted."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import REDIS_URL, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # required
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # required
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS")  # required: Fernet keys, newest first
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

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
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not REDIS_URL:
    raise RuntimeError("Production needs REDIS_URL (broker, cache and rate limits are shared).")
