"""The confirmation page in front of an irreversible action (STYLE.md, Screens).

A view whose POST does something that cannot be undone (cancel, issue, deactivate, delete) answers
GET with this page: what the action is about, what will happen, one button that sends the POST and a
way back. The button's form posts to the same address unless ``action`` says otherwise, so the
permission check of the GET is the same one the POST passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.http import HttpResponse
from django.shortcuts import render


def page(
    request,
    *,
    title: str,
    button: str,
    back: str,
    facts: Iterable[tuple[str, object]] = (),
    consequences: Iterable[str] = (),
    hidden: Mapping[str, object] | None = None,
    action: str | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "components/confirm_page.html",
        {
            "confirm_title": title,
            "confirm_button": button,
            "confirm_back": back,
            "confirm_facts": [(label, value) for label, value in facts if value not in (None, "")],
            "confirm_consequences": list(consequences),
            "confirm_hidden": dict(hidden or {}),
            "confirm_action": action or request.get_full_path(),
        },
        status=status,
    )
