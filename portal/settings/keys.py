"""Checks on the secrets production runs with, importable without loading any settings."""

import math
from collections import Counter

# The key the repository ships for development (base.py); production refuses it by value.
DEVELOPMENT_SECRET_KEYS = frozenset({"dev-only-insecure-key-change-me-hikikomori-support-portal"})
SECRET_KEY_MIN_LENGTH = 50
# Shannon entropy of the key's characters, in bits per character. A key made by
# `python -c "import secrets; print(secrets.token_urlsafe(50))"` (or Django's
# get_random_secret_key()) has about 5.5; "x" * 50 has 0, a repeated word about 2–3.
SECRET_KEY_MIN_ENTROPY_BITS = 4.0
SECRET_KEY_MIN_DISTINCT = 20


def _entropy_bits(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def secret_key_problems(key: str) -> list[str]:
    """Why a SECRET_KEY may not sign production sessions, password resets and invitations."""
    if not key:
        return []  # reported as missing
    if key in DEVELOPMENT_SECRET_KEYS or key.startswith(("dev-only", "django-insecure")):
        return ["SECRET_KEY is the repository's development key: generate a new one"]
    problems = []
    if len(key) < SECRET_KEY_MIN_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters ({len(key)})")
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT or _entropy_bits(key) < SECRET_KEY_MIN_ENTROPY_BITS:
        problems.append("SECRET_KEY has too little entropy (repeated or predictable characters)")
    if problems:
        problems[-1] += ': generate one with python -c "import secrets; print(secrets.token_urlsafe(50))"'
    return problems
