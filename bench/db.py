"""The benchmark's own PostgreSQL databases: start the server if needed, create, migrate and seed."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/orders_bench"


def parts(url: str):
    u = urlparse(url)
    return u.hostname or "127.0.0.1", str(u.port or 5432), u.username or "postgres", u.path.lstrip("/")


def with_name(url: str, name: str) -> str:
    u = urlparse(url)
    return urlunparse(u._replace(path="/" + name))


def psql(url: str, *commands: str, database: str = "postgres") -> str:
    host, port, user, _name = parts(url)
    args = ["psql", "-h", host, "-p", port, "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-qtA"]
    for command in commands:
        args += ["-c", command]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def ensure_server(url: str) -> None:
    host, port, _user, _name = parts(url)
    ready = ["pg_isready", "-h", host, "-p", port, "-q"]
    if subprocess.run(ready).returncode == 0:
        return
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    for _ in range(30):
        if subprocess.run(ready).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit("PostgreSQL did not start")


def migrate(url: str) -> None:
    """Migrate, then seed the reference data (carriers, groups, templates...) as a deployment's set-up does."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "seed_reference_data", "-v0"], cwd=ROOT, env=env, check=True)


def fresh_database(url: str) -> None:
    """Recreate the database from a migrated template (kept beside it), so each run starts empty.

    The template is migrated on every run (a no-op when nothing is pending); copying it is
    much faster than migrating an empty database. A template its migrations no longer fit (one
    migrated by other code, whose migrations were since renamed or squashed) is made again.
    """
    ensure_server(url)
    name = parts(url)[3]
    template = f"{name}_template"
    exists = psql(url, f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
    if not exists:
        psql(url, f"CREATE DATABASE {template}")
    try:
        migrate(with_name(url, template))
    except subprocess.CalledProcessError:
        if not exists:
            raise
        print(f"  {template} no longer fits the migrations: made again", flush=True)
        psql(url, f"DROP DATABASE IF EXISTS {template} WITH (FORCE)", f"CREATE DATABASE {template}")
        migrate(with_name(url, template))
    psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name} TEMPLATE {template}")


def server_version(url: str) -> str:
    return psql(url, "SHOW server_version")


def settle(url: str, *, timeout: float = 120) -> str:
    """Let the database go quiet before a timed benchmark, as a server between bursts would be.

    The benchmarks before it leave work behind in PostgreSQL (autovacuum of a million deleted log
    rows, dirty pages for the next checkpoint) that would otherwise run in the middle of the next
    one's measurement. This vacuums and analyzes the benchmark's database, forces a checkpoint and
    waits (at most `timeout`) for autovacuum workers still running. Returns what it did, for the notes.
    """
    name = parts(url)[3]
    t0 = time.monotonic()
    psql(url, "VACUUM (ANALYZE)", database=name)
    try:
        psql(url, "CHECKPOINT")
    except subprocess.CalledProcessError:  # not a superuser: the next checkpoint comes on its own
        pass
    while time.monotonic() - t0 < timeout:
        busy = psql(url, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
        if busy in ("", "0"):
            break
        time.sleep(1)
    return f"database settled in {time.monotonic() - t0:.1f} s (VACUUM ANALYZE, CHECKPOINT)"
