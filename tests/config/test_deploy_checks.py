"""`manage.py check --deploy` passes with the documented production environment, and an unsafe secret key
stops every entry point (manage.py and gunicorn) instead of being used."""
import subprocess
import sys
from pathlib import Path

import pytest

from .production import ROOT, manage, production_env

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def test_the_deploy_check_passes_with_the_documented_production_environment():
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_the_deploy_check_fails_when_the_email_provider_cannot_sign_its_tracking_webhook():
    checked = manage("check", "--deploy", env=production_env(ANYMAIL="{}"))

    assert checked.returncode != 0
    assert "notifications.E003" in checked.stderr


def test_https_and_cookie_warnings_are_gone_with_debug_off_and_nothing_else_set():
    env = production_env(SECURE_HSTS_SECONDS=None, SECURE_HSTS_INCLUDE_SUBDOMAINS=None, SECURE_HSTS_PRELOAD=None)

    checked = manage("check", "--deploy", env=env)

    reported = checked.stdout + checked.stderr
    assert checked.returncode == 0, reported
    for code in ("security.W004", "security.W008", "security.W012", "security.W016", "security.W009"):
        assert code not in reported
    # Preloading is opt-in: the one HSTS warning left says so.
    assert "security.W021" in reported


def test_each_https_setting_is_read_from_the_environment():
    env = production_env(SECURE_HSTS_SECONDS="600", SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false",
                         CSRF_COOKIE_SECURE="false", SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
                         SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    code = ("from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
            "s.SECURE_PROXY_SSL_HEADER)")

    shown = manage("shell", "-c", code, env=env)

    assert shown.stdout.strip().splitlines()[-1] == "600 False False False False True ('HTTP_X_FORWARDED_PROTO', 'https')", shown.stderr


UNSAFE_KEYS = {
    "unset": None,
    "short": "x7#Kq2!mZp9@Lw4$",
    "the development default": "dev-only-insecure-key-change-me",
}


@pytest.mark.parametrize("key", UNSAFE_KEYS.values(), ids=UNSAFE_KEYS.keys())
def test_an_unsafe_secret_key_with_debug_off_fails_the_check_naming_it(key):
    checked = manage("check", env=production_env(SECRET_KEY=key))

    assert checked.returncode != 0
    assert "SECRET_KEY" in checked.stderr


def test_gunicorn_refuses_to_load_the_application_without_a_secret_key():
    checked = subprocess.run(
        [GUNICORN, "--check-config", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT, env=production_env(SECRET_KEY=None), capture_output=True, text=True, timeout=60,
    )

    assert checked.returncode != 0
    assert "SECRET_KEY" in checked.stdout + checked.stderr


def test_the_development_key_still_serves_local_development():
    checked = manage("check", env=production_env(DEBUG="true", SECRET_KEY=None))

    assert checked.returncode == 0, checked.stderr


def test_a_process_local_cache_is_warned_about_in_production():
    checked = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(CACHE_URL="locmemcache://"))

    assert checked.returncode != 0
    assert "project.W001" in checked.stdout + checked.stderr and "CACHE_URL" in checked.stdout + checked.stderr
