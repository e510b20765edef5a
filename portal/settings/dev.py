"""Local development: `make run` uses this (DEBUG on, embedded defaults)."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)
from .base import env

DEBUG = env.bool("DEBUG", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
