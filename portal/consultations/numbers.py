"""利用者番号: random, not sequential, of characters nobody confuses on a screen or on paper."""

from __future__ import annotations

import secrets
import unicodedata

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
USER_NUMBER_ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
USER_NUMBER_LENGTH = 12


def random_user_number() -> str:
    return "".join(secrets.choice(USER_NUMBER_ALPHABET) for _ in range(USER_NUMBER_LENGTH))


def normalise_user_number(text: str) -> str:
    """What a person typed (full width, lower case, spaces, hyphens) → the stored form."""
    folded = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in folded if ch.isalnum())[:32]


def shown_user_number(number: str) -> str:
    return "-".join(number[i : i + 4] for i in range(0, len(number), 4))
