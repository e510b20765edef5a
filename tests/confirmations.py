"""Irreversible actions ask first (STYLE.md, Screens): the address of such an action answers GET with
a confirmation page that changes nothing and whose one button sends the POST."""

from __future__ import annotations

import html

from django.apps import apps
from django.urls import reverse

UNTRACKED = {"sessions.Session", "core.AuditEvent", "guidebook.Download"}


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table (but sessions and audited reads), to see that a GET wrote nothing:
    a status change counts, not only a new or deleted row."""
    return {
        m._meta.label: list(m.objects.order_by("pk").values())
        for m in apps.get_models()
        if m._meta.label not in UNTRACKED and not m._meta.proxy
    }


def check_confirmation(client, world, rule, name: str) -> None:
    actor, expected_post = rule.right
    client.force_login(getattr(world, actor))
    url = reverse(name, kwargs=rule.kwargs(world))

    before = snapshot()
    page = client.get(url)
    assert page.status_code == 200, (name, page.status_code)
    assert snapshot() == before, f"{name}: showing the confirmation changed data"
    text = html.unescape(page.content.decode())
    assert f'<form method="post" action="{url}">' in text, f"{name}: no form posting to the action"
    assert "csrfmiddlewaretoken" in text
    assert "実行すると、次のようになります" in text, f"{name}: the page does not say what will happen"
    assert "変更せずに戻る" in text

    done = client.post(url, rule.data(world))
    assert done.status_code == expected_post == 302, (name, done.status_code)
    assert snapshot() != before, f"{name}: the confirmed POST changed nothing"
