"""Control characters (U+0000–U+001F except tab, newline and carriage return) are never part of
what a person means to type: they arrive through copy and paste from other programs, and XML
(Atom feeds) and xlsx files cannot hold them. Forms take them out at the boundary
(``core.forms.TextCleaningMixin``); feeds and exports take them out again for rows stored before."""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(value):
    """``value`` without control characters; anything that is not a string is returned as it is."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    return value
