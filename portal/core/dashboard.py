"""The dashboard is a list of panels that apps register: each says what needs the person's
action and what comes next for them. A panel is a function (request) -> dict | None, the dict
holding ``template`` and its context; None hides the panel."""

from __future__ import annotations

from collections.abc import Callable

Panel = Callable[[object], dict | None]
_panels: list[tuple[int, Panel]] = []


def panel(order: int = 100):
    def register(fn: Panel) -> Panel:
        _panels.append((order, fn))
        _panels.sort(key=lambda item: item[0])
        return fn

    return register


def panels_for(request) -> list[dict]:
    out = []
    for _order, fn in _panels:
        result = fn(request)
        if result:
            out.append(result)
    return out
