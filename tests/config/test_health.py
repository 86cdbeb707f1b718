"""GET /healthz: 200 when the database, the cache, the broker and a task worker answer; 503 naming what failed."""
import time

import pytest
from django.test import Client

from tests.utils import qcluster_process, requires_postgres_worker

from .production import free_port, manage, production_env

pytestmark = pytest.mark.django_db

# The worker started here reports through the cache (database broker): a Redis database both processes share.
SHARED_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:6379/11"}}


def _lines(response) -> dict:
    return dict(line.split(": ", 1) for line in response.content.decode().splitlines()[1:])


@requires_postgres_worker
def test_with_a_worker_running_everything_answers_200(settings, tmp_path):
    settings.CACHES = SHARED_CACHE
    client = Client()
    with qcluster_process(tmp_path / "qcluster.log", CACHE_URL=SHARED_CACHE["default"]["LOCATION"]) as (_process, log):
        deadline = time.monotonic() + 60
        health = client.get("/healthz")
        while health.status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
            health = client.get("/healthz")
        log.seek(0)
        assert health.status_code == 200, health.content.decode() + log.read()[-2000:]

    assert health.content.decode().splitlines()[0] == "ok"
    assert _lines(health) == {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok"}
    assert "no-cache" in health["Cache-Control"] or "max-age=0" in health["Cache-Control"]


def test_without_a_worker_it_answers_503_naming_the_worker(client):
    health = client.get("/healthz")

    assert health.status_code == 503
    assert health.content.decode().splitlines()[0] == "failing: worker"
    assert "qcluster" in _lines(health)["worker"]


def test_a_cache_that_does_not_answer_is_named(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}

    health = client.get("/healthz")

    assert health.status_code == 503
    assert _lines(health)["cache"].startswith("failed")
    assert _lines(health)["database"] == "ok"


def test_a_database_that_does_not_answer_is_named():
    env = production_env(DEBUG="true", ALLOWED_HOSTS="testserver", CACHE_URL="locmemcache://",
                         DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/orders")
    code = ("from django.test import Client; r = Client().get('/healthz'); "
            "print(r.status_code); print(r.content.decode())")

    shown = manage("shell", "-c", code, env=env)

    out = shown.stdout[shown.stdout.index("503"):]
    assert out.splitlines()[0] == "503", shown.stdout + shown.stderr
    assert "database: failed" in out


def test_it_is_not_redirected_to_https_nor_to_a_trailing_slash(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    health = client.get("/healthz")
    admin = client.get("/admin/login/")

    assert admin.status_code == 301
    assert health.status_code == 503  # no worker here: answered, not redirected
