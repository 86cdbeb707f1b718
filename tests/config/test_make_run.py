"""`make run PORT=8111` serves on 8111 and every link it writes points there (SITE_URL follows the
server unless it is set); its set-up makes the local store's web push keys before the demo."""
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no `make` on this machine")


def dry_run(*arguments) -> list[str]:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", *arguments], cwd=settings.BASE_DIR,
        capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout.splitlines()


def manage_commands(lines) -> list[str]:
    return [line for line in lines if "manage.py" in line]


def test_every_command_of_make_run_knows_the_address_it_serves():
    lines = manage_commands(dry_run("PORT=8111"))

    assert any(line.endswith("manage.py runserver 127.0.0.1:8111") for line in lines)
    # migrate, set-up, keys, the three demos (whose messages carry links), the worker and the server
    assert len(lines) >= 8
    assert all(line.lstrip("@").startswith("RUN_SITE_URL=http://127.0.0.1:8111 ") for line in lines), lines


def test_set_up_makes_the_push_keys_before_the_demo_sends_its_messages():
    commands = [line.split("manage.py ", 1)[1] for line in manage_commands(dry_run())]

    assert commands.index("generate_vapid_keys --local") < commands.index("seed_demo")


def site_url(**environment) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "RUN_SITE_URL")}
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="true")
    env.setdefault("SITE_URL", "")  # as if unset, whatever a developer's .env says
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True, timeout=60,
    )
    return result.stdout.strip()


def test_site_url_follows_the_served_address_unless_it_is_set():
    assert site_url(RUN_SITE_URL="http://127.0.0.1:8111") == "http://127.0.0.1:8111"
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(RUN_SITE_URL="http://127.0.0.1:8111", SITE_URL="https://orders.example.com/") == (
        "https://orders.example.com"
    )
