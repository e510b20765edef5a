"""Import rules of the house style, checked on the source: core imports no app."""

import ast
from pathlib import Path

import portal

PORTAL = Path(portal.__file__).parent
APPS = sorted(p.name for p in PORTAL.iterdir() if (p / "apps.py").exists() and p.name != "core")


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """Every module a file imports (also inside functions), relative imports made absolute."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            relative = f"{base}.{node.module}" if node.module else base
            module = relative if node.level else node.module
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def source_of(path: Path) -> tuple[str, str, str]:
    """The file's text, its package (``portal.core``) and its name for messages."""
    relative = path.relative_to(PORTAL.parent)
    return path.read_text(), ".".join(relative.parts[:-1]), str(relative)


def app_imports(source: str, package: str, apps) -> list[tuple[int, str]]:
    return [
        (line, module)
        for line, module in imported_modules(source, package)
        if any(module == f"portal.{app}" or module.startswith(f"portal.{app}.") for app in apps)
    ]


def test_core_imports_no_app():
    problems = []
    for path in sorted((PORTAL / "core").rglob("*.py")):
        source, package, name = source_of(path)
        problems += [f"{name}:{line} imports {module}" for line, module in app_imports(source, package, APPS)]

    assert problems == [], "core imports an app (register with portal.core.registry instead):\n" + "\n".join(
        problems
    )


def test_the_import_scan_sees_absolute_relative_and_function_level_imports():
    source = (
        "from portal.accounts.models import User\n"
        "from .registry import people\n"
        "def f():\n"
        "    from ..accounts import permissions\n"
        "    import portal.windows.models\n"
    )

    found = [module for _line, module in app_imports(source, "portal.core", APPS)]

    assert found == [
        "portal.accounts.models",
        "portal.accounts.models.User",
        "portal.accounts",
        "portal.accounts.permissions",
        "portal.windows.models",
    ]


# Helpers several apps use: defined once, in core.
SHARED_HELPERS = {
    "StaleEdit",
    "FlexibleIntegerField",
    "nfkc",
    "highlight",
    "kind_label",
    "guard_highlight",
    "guard_kind",
}


def definitions(source: str) -> list[tuple[int, str]]:
    """Top-level classes and functions a module defines."""
    return [
        (node.lineno, node.name)
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef | ast.FunctionDef)
    ]


def test_shared_helpers_are_defined_only_in_core():
    copies = []
    for path in sorted(PORTAL.rglob("*.py")):
        source, _package, name = source_of(path)
        if name.startswith("portal/core/"):
            continue
        copies += [
            f"{name}:{line} defines {what}" for line, what in definitions(source) if what in SHARED_HELPERS
        ]

    assert copies == [], "a shared helper has a copy outside portal/core:\n" + "\n".join(copies)


def test_no_app_imports_another_apps_forms_or_templatetags():
    problems = []
    for app in APPS:
        others = [a for a in APPS if a != app]
        for path in sorted((PORTAL / app).rglob("*.py")):
            source, package, name = source_of(path)
            problems += [
                f"{name}:{line} imports {module}"
                for line, module in app_imports(source, package, others)
                if ".forms" in module or ".templatetags" in module
            ]

    assert problems == [], "an app uses another app's forms or template tags:\n" + "\n".join(problems)


def test_every_app_with_demo_or_reference_data_registers_its_loader():
    from django.apps import apps

    from portal.core import registry

    portal_apps = [c for c in apps.get_app_configs() if c.name.startswith("portal.") and c.label != "core"]
    with_demo = {c.label for c in portal_apps if (Path(c.path) / "demo.py").exists()}
    with_reference = {
        c.label
        for c in portal_apps
        if (Path(c.path) / "reference.py").exists() or (Path(c.path) / "reference").is_dir()
    }

    assert {x.app_label for x in registry.loaders(registry.DEMO)} == with_demo
    assert {x.app_label for x in registry.loaders(registry.REFERENCE)} >= with_reference
    demo_order = [x.app_label for x in registry.loaders(registry.DEMO)]
    assert demo_order[0] == "accounts"  # everyone else's demo needs the demo accounts
    assert demo_order.index("windows") < demo_order.index("municipalities")  # sheets pre-fill windows


def test_selectors_never_import_services():
    problems = []
    for path in sorted(PORTAL.glob("*/selectors.py")):
        source, package, name = source_of(path)
        problems += [
            f"{name}:{line} imports {module}"
            for line, module in imported_modules(source, package)
            if module == f"{package}.services" or module.startswith(f"{package}.services.")
        ]

    assert problems == [], (
        "a selectors module imports services (move the rule to permissions.py):\n" + "\n".join(problems)
    )
