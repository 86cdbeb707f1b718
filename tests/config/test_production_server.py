"""The production configuration, started for real: gunicorn with config/gunicorn.conf.py, DEBUG off, static
files collected by collectstatic into their own STATIC_ROOT, a task worker beside it, PostgreSQL and Redis."""
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from orders.models import Status
from tests.timeline.factories import order_at
from tests.utils import database_url, qcluster_process, requires_postgres_worker

from .production import ROOT, free_port, manage, production_env

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
TEN_YEARS = "max-age=315360000"
# Redis database of the server and worker started here (the suite's own cache is in memory).
SHARED_CACHE = "redis://127.0.0.1:6379/11"


def _static_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)))


@pytest.fixture
def production(tmp_path, transactional_db):
    """Yields (base URL, the order whose timeline is served); stops the server and the worker afterwards."""
    key = secrets.token_urlsafe(50)
    static_root = tmp_path / "static"
    env = production_env(
        SECRET_KEY=key, DATABASE_URL=database_url(), ALLOWED_HOSTS="127.0.0.1", STATIC_ROOT=str(static_root),
        CACHE_URL=SHARED_CACHE, TRUSTED_PROXY_COUNT="1", GUNICORN_WORKERS="1", GUNICORN_THREADS="2",
        GUNICORN_ACCESS_LOG="",
    )
    collected = manage("collectstatic", "--noinput", "--verbosity", "1", env=env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    order = order_at(Status.SHIPPED)
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w+")
    with qcluster_process(tmp_path / "qcluster.log", SECRET_KEY=key, CACHE_URL=SHARED_CACHE):
        server = subprocess.Popen(
            [GUNICORN, "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "config.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    log.seek(0)
                    pytest.fail("the server or the worker did not become healthy:\n" + log.read()[-3000:])
                time.sleep(0.5)
            yield base, order
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
            log.close()


@requires_postgres_worker
def test_the_admin_the_timeline_and_the_api_docs_get_their_static_files_with_long_cache_headers(production):
    base, order = production
    https = {"X-Forwarded-Proto": "https"}  # as the reverse proxy that ends TLS says
    pages = {"admin login": "/admin/login/", "timeline": f"/o/{order.public_token}/", "API docs": "/api/v1/docs/"}
    assets = {}
    for name, path in pages.items():
        page = requests.get(base + path, headers=https, timeout=10)
        assert page.status_code == 200, (name, page.status_code)
        assets[name] = _static_urls(page.text)

    assert any(re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", url) for url in assets["admin login"])
    assert any(re.fullmatch(r"/static/timeline/timeline\.[0-9a-f]{12}\.css", url) for url in assets["timeline"])
    assert any(re.fullmatch(r"/static/timeline/timeline\.[0-9a-f]{12}\.js", url) for url in assets["timeline"])
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in assets["API docs"])
    for url in sorted({url for urls in assets.values() for url in urls}):
        answer = requests.get(base + url, headers={**https, "Accept-Encoding": "gzip"}, timeout=10)
        assert answer.status_code == 200, url
        assert TEN_YEARS in answer.headers["Cache-Control"] and "immutable" in answer.headers["Cache-Control"], url
        if url.endswith((".css", ".js")):
            assert answer.headers.get("Content-Encoding") == "gzip", url


@requires_postgres_worker
def test_plain_http_is_sent_to_https_with_hsts_but_the_health_check_answers(production):
    base, _order = production

    redirected = requests.get(f"{base}/admin/login/", allow_redirects=False, timeout=10)
    secure = requests.get(f"{base}/admin/login/", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    health = requests.get(f"{base}/healthz", allow_redirects=False, timeout=10)

    assert redirected.status_code == 301 and redirected.headers["Location"].startswith("https://")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    cookies = secure.raw.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in cookie for cookie in cookies)
    assert (health.status_code, health.text.splitlines()[0]) == (200, "ok")
