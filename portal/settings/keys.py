"""Checks on the secrets production runs with, importable without loading any settings."""

import math
from collections import Counter

# The key the repository ships for development (base.py); production refuses it by value.
DEVELOPMENT_SECRET_KEYS = frozenset({"dev-only-insecure-key-change-me-hikikomori-support-portal"})
SECRET_KEY_MIN_LENGTH = 50
# Estimated strength: the Shannon entropy of the key's characters times its length. A key made by
# `python -c "import secrets; print(secrets.token_urlsafe(50))"`, Django's get_random_secret_key()
# or 64 random hex digits scores 240-330 bits; "x" * 64 scores 0 and "secret" * 10 about 135.
SECRET_KEY_MIN_ENTROPY_BITS = 190
SECRET_KEY_MIN_DISTINCT = 12
# A random key hardly repeats four characters in a row; a phrase typed twice repeats most of them.
SECRET_KEY_MIN_DISTINCT_QUADGRAMS = 0.8


def _entropy_bits(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _low_entropy(key: str) -> bool:
    quadgrams = [key[i : i + 4] for i in range(len(key) - 3)]
    return (
        len(set(key)) < SECRET_KEY_MIN_DISTINCT
        or _entropy_bits(key) * len(key) < SECRET_KEY_MIN_ENTROPY_BITS
        or len(set(quadgrams)) < SECRET_KEY_MIN_DISTINCT_QUADGRAMS * len(quadgrams)
    )


def secret_key_problems(key: str) -> list[str]:
    """Why a SECRET_KEY may not sign production sessions, password resets and invitations."""
    if not key:
        return []  # reported as missing
    if key in DEVELOPMENT_SECRET_KEYS or key.startswith(("dev-only", "django-insecure")):
        return ["SECRET_KEY is the repository's development key: generate a new one"]
    problems = []
    if len(key) < SECRET_KEY_MIN_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters ({len(key)})")
    if _low_entropy(key):
        problems.append("SECRET_KEY has too little entropy (repeated or predictable characters)")
    if problems:
        problems[-1] += ': generate one with python -c "import secrets; print(secrets.token_urlsafe(50))"'
    return problems
