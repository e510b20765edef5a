"""Local development: `make run` uses this (DEBUG on, embedded defaults)."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DEBUG", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Development tools (national-scale data for benchmarks): never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "portal.devtools"]
