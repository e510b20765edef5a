"""What apps register with core, so that core imports no app.

* **People rules**: who is a coordinator, a person's memberships, roles and expert profile, and
  the organisation model. ``portal.accounts`` registers them in ``AccountsConfig.ready()``; core's
  navigation, audit, admin site and permissions ask through :func:`people`.
* **Loaders**: each app's demo records (``seed_demo``) and reference data (``load_reference_data``),
  registered in the app's ``AppConfig.ready()`` with an order (lower runs first) and a dotted path,
  imported only when the command runs. (National-scale data for benchmarks is development code:
  ``portal.devtools``, which production does not install.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# --- people rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    organization_model: type
    is_coordinator: Callable[[Any], bool]
    active_memberships: Callable[[Any], list]
    roles_of: Callable[[Any], set[str]]
    expert_profile: Callable[[Any], Any]


_people: People | None = None


def register_people(**rules) -> None:
    global _people
    _people = People(**rules)


def people() -> People:
    if _people is None:
        raise ImproperlyConfigured(
            "No installed app registered the people rules (core.registry.register_people)."
        )
    return _people


# --- demo and reference-data loaders ---------------------------------------------------------------

DEMO = "demo"
REFERENCE = "reference"


@dataclass(frozen=True)
class Loader:
    kind: str
    app_label: str
    order: int
    load: str | Callable = field(compare=False)

    def __call__(self, **options):
        """Run the loader; reference loaders receive the command's options (``data_dir``)."""
        load = import_string(self.load) if isinstance(self.load, str) else self.load
        return load(**options)


_loaders: dict[tuple[str, str], Loader] = {}


def register_loader(app_config, *, kind: str, order: int, load: str | Callable) -> None:
    """``load`` is a function or its dotted path (``.demo.seed_demo`` inside the app's package),
    imported only when the command runs. Lower orders run first; one loader per app and kind."""
    if kind not in (DEMO, REFERENCE):
        raise ValueError(f"unknown loader kind: {kind!r}")
    if isinstance(load, str) and load.startswith("."):
        load = app_config.name + load
    _loaders[(kind, app_config.label)] = Loader(kind=kind, app_label=app_config.label, order=order, load=load)


def loaders(kind: str) -> list[Loader]:
    """The registered loaders of one kind, in their order."""
    return sorted((x for x in _loaders.values() if x.kind == kind), key=lambda x: (x.order, x.app_label))
