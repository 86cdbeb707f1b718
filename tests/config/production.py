"""The production environment the README's *Deploying* section documents, for processes the tests start."""
import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Variables of the machine running the tests that would change what a started process reads.
_CLEARED = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CACHE_URL", "ANYMAIL_WEBHOOK_SECRET", "Q_REDIS_URL", "STATIC_ROOT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "TRUSTED_PROXY_COUNT",
    "DJANGO_SETTINGS_MODULE", "ADMIN_PASSWORD", "FIELD_ENCRYPTION_KEY",
}


def production_env(**overrides) -> dict:
    """DEBUG off, a real secret key, a host name, the shared cache on Redis, the webhook secret and HSTS
    with preload: what `.env.example`'s production block sets."""
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "orders.example.com",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend",
        "ANYMAIL": json.dumps({"MAILGUN_API_KEY": "key-test", "MAILGUN_WEBHOOK_SIGNING_KEY": "signing-test"}),
        "ANYMAIL_WEBHOOK_SECRET": "esp:" + secrets.token_urlsafe(24),
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "FIELD_ENCRYPTION_KEY": "Qw1tL6C7wzQX0n8m3b2Rz8pW4yV5uT6sE7dF8gH9iJ0=",
    })
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env: dict, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
