"""A real `manage.py qcluster` process (ORM broker on PostgreSQL) delivers the queued notifications."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Notification

from .helpers import pay, place, subscribe

BASE_DIR = Path(settings.BASE_DIR)

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="starts a qcluster process on the PostgreSQL test database; set DATABASE_URL=postgres://... "
    "(or run `bash .ci/run`) to run it",
)


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def enqueue_to_the_broker(monkeypatch):
    """Unit tests run tasks inline; here the deliveries must go through the ORM broker instead."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def qcluster(tmp_path):
    """Start `manage.py qcluster` against the test database; stop it (and its workers) afterwards."""
    log = open(tmp_path / "qcluster.log", "w+")
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
        "SITE_URL": settings.SITE_URL,
        "LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    yield process, log
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


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_qcluster_process_delivers_the_queued_notifications(staff, enqueue_to_the_broker, qcluster):
    from django_q.models import OrmQ

    process, log = qcluster
    order = place(by=staff, language="en")
    subscribe(order)
    pay(order, by=staff)
    rows = Notification.objects.filter(order=order)
    assert sorted(rows.values_list("milestone", "channel", "status")) == [
        ("new_order", "email", "queued"), ("order_placed", "email", "queued"),
        ("payment_approved", "email", "queued"), ("payment_approved", "push", "queued"),
    ]
    assert OrmQ.objects.count() >= 3  # enqueued on commit (one task per milestone), waiting for the worker

    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and rows.exclude(status="sent").exists():
        assert process.poll() is None, "qcluster exited early"
        time.sleep(0.3)

    log.seek(0)
    output = log.read()
    assert not rows.exclude(status="sent").exists(), output[-3000:]
    assert set(rows.values_list("attempts", flat=True)) == {1}
    assert f"Subject: Payment approved: order {order.number}" in output  # the console email backend
    assert "Web push to https://push.example.net/send/abc" in output
