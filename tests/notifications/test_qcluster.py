"""A real `manage.py qcluster` process (ORM broker on PostgreSQL) delivers the queued notifications."""
import time

import pytest
from django.conf import settings

from notifications.models import Notification
from tests.utils import qcluster_process, requires_postgres_worker

from .helpers import pay, place, subscribe


@pytest.fixture
def enqueue_to_the_broker(monkeypatch):
    """Unit tests run tasks inline; here the deliveries must go through the ORM broker instead."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def qcluster(tmp_path):
    """Start `manage.py qcluster` against the test database; stop it (and its workers) afterwards."""
    with qcluster_process(tmp_path / "qcluster.log", SITE_URL=settings.SITE_URL) as started:
        yield started


@requires_postgres_worker
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
