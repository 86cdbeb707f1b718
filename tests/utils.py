import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks; run `bash .ci/run` or set DATABASE_URL=postgres://... to run it",
)

requires_postgres_worker = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="starts a qcluster process on the PostgreSQL test database; set DATABASE_URL=postgres://... "
    "(or run `bash .ci/run`) to run it",
)


def database_url() -> str:
    """The test database's URL, for a process started by a test."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def qcluster_process(log_path: Path, **env):
    """`manage.py qcluster` on the test database (ORM broker, one worker, console backends; `env` adds
    or overrides variables); stopped afterwards with its workers. Yields (process, log file)."""
    log = open(log_path, "w+")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # task packages are signed with it
        "Q_WORKERS": "1",
        "Q_POLL": "0.1",
        "Q_REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SMS_BACKEND": "notifications.backends.sms.console.SmsBackend",
        "PUSH_BACKEND": "notifications.backends.push.console.PushBackend",
        "LOG_LEVEL": "INFO",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=Path(settings.BASE_DIR), env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the cluster's graceful stop
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        # Whatever the graceful stop left (it can hang in django-q2), end the process group the test started.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)
        log.close()


def closed_port() -> int:
    """A local port nothing listens on: a provider (an SMTP server, an API) that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
