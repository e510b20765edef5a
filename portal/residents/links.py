"""The link in every letter that lets an applicant see, cancel or accept without an account.

Signed with ``django.core.signing`` under a salt used for nothing else, it names one application
and its current nonce; it expires (``RESIDENTS_LINK_DAYS``) and stops working once it was used to
cancel (the nonce is replaced), after the day, and after the purge.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "portal.residents.manage"
KINDS = {"i": "individual", "s": "seminar"}


class BadLink(Exception):
    pass


def make_token(application) -> str:
    from .models import IndividualApplication

    kind = "i" if isinstance(application, IndividualApplication) else "s"
    return signing.dumps({"k": kind, "a": application.pk, "n": application.nonce}, salt=SALT, compress=True)


def manage_url(application) -> str:
    return reverse("residents:manage", args=[make_token(application)])


def read_token(token: str) -> tuple[str, int, str]:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.RESIDENTS_LINK_DAYS * 86400)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise BadLink from exc
    if not isinstance(data, dict) or data.get("k") not in KINDS:
        raise BadLink
    return KINDS[data["k"]], int(data["a"]), str(data["n"])
