"""The national-scale generators are development code: production settings do not install them."""

import subprocess
import sys

from django.conf import settings
from django.core.management import get_commands

from tests.core.test_settings import COMPLETE, ROOT, _load_production

COMMANDS = (
    "import django\n"
    "django.setup()\n"
    "from django.conf import settings\n"
    "from django.core.management import get_commands\n"
    "print('devtools' if 'portal.devtools' in settings.INSTALLED_APPS else 'no devtools')\n"
    "print('generate_scale_data' if 'generate_scale_data' in get_commands() else 'no command')\n"
)


def test_production_has_neither_the_devtools_app_nor_generate_scale_data(tmp_path):
    result = _load_production(tmp_path)
    assert result.returncode == 0, result.stderr  # the settings load at all

    env = {
        **COMPLETE,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    found = subprocess.run(
        [sys.executable, "-c", COMMANDS],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert found.returncode == 0, found.stderr
    assert found.stdout.split("\n")[:2] == ["no devtools", "no command"]


def test_the_test_settings_install_devtools_and_its_command():
    assert "portal.devtools" in settings.INSTALLED_APPS
    assert get_commands()["generate_scale_data"] == "portal.devtools"


def test_the_apps_keep_no_scale_generators():
    portal = ROOT / "portal"

    assert sorted(p.relative_to(portal).as_posix() for p in portal.glob("*/scale.py")) == []
    assert not (portal / "core" / "management" / "commands" / "generate_scale_data.py").exists()
