"""The text of a mailing's letters: placeholders and rendering (no database access)."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .sources import LINK, NAME, ORG, PLACE, PLACEHOLDERS, WHEN

# Anything in braces that looks like a placeholder: {氏名}, {name}, {日 時} is not one.
CANDIDATE = re.compile(r"\{[^{}\s]{1,20}\}")


def unknown_placeholders(text: str, allowed) -> list[str]:
    """Placeholders in ``text`` that this mailing cannot fill, in order, each once."""
    found = []
    for match in CANDIDATE.findall(text or ""):
        if match not in allowed and match not in found:
            found.append(match)
    return found


def values_for(*, user, organization, facts: dict) -> dict[str, str]:
    return {
        NAME: user.get_full_name() if user is not None else "",
        ORG: str(organization) if organization is not None else "",
        WHEN: facts.get("when", ""),
        PLACE: facts.get("place", ""),
        LINK: settings.SITE_URL + facts["path"] if facts.get("path") else "",
    }


def fill(text: str, values: dict[str, str]) -> str:
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, values.get(placeholder, ""))
    return text


def letter(*, subject: str, body: str, user, organization, facts: dict) -> tuple[str, str]:
    """The subject and the body of one person's letter (``mailings/email/letter_*.txt``), laid out
    as ``core/email/letter_body.txt`` lays out every letter from the secretariat: the addressee,
    the greeting, the message, the link to the portal, the signature. Rendered as
    ``outbox.queue_templated_email`` renders, without a query."""
    values = values_for(user=user, organization=organization, facts=facts)
    context = {
        "recipient": user,
        "subject": fill(subject, values),
        "message": fill(body, values),
        "site_url": settings.SITE_URL,
        # The closing link to the portal, unless the message already gives it through {リンク}.
        "url": "" if LINK in body else facts.get("path", ""),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("mailings/email/letter_subject.txt", context)
        body_text: str = render_to_string("mailings/email/letter_body.txt", context)
    body_text = re.sub(r"\n{3,}", "\n\n", body_text).strip() + "\n"
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(text.split()), body_text
