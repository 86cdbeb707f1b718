"""Exactly once per (order, rule, channel) when the same change is recorded at once by several workers."""
import threading

import pytest
from django.db import connection, transaction

from notifications import services as notifications
from notifications.models import Notification
from orders import services
from orders.models import CustomStatus
from tests.factories import OrderFactory, UserFactory
from tests.utils import requires_postgres

from .factories import NotificationRuleFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def run_at_once(target):
    """Run target() in THREADS threads released together; returns the exceptions they raised."""
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_writers_of_the_same_rule_change_write_one_row():
    """Without the order's row lock (a replayed signal, two processes): the unique constraint decides."""
    rule = NotificationRuleFactory(custom=("delivery", "out_for_delivery"), channel="sms")
    order = OrderFactory()
    to_status = CustomStatus.objects.get(type="delivery", code="out_for_delivery")

    def record():
        with transaction.atomic():
            notifications.record_rules(order, status_type="delivery", from_status=None, to_status=to_status)

    assert run_at_once(record) == []
    assert Notification.objects.filter(order=order, rule=rule, channel="sms").count() == 1


def test_concurrent_status_changes_to_the_same_status_send_the_rule_once():
    rule = NotificationRuleFactory(custom=("delivery", "out_for_delivery"))
    order = OrderFactory()
    staff = UserFactory(username="despacho")

    def set_status():
        services.set_custom_status(order, by=staff, status_type="delivery", code="out_for_delivery")

    assert run_at_once(set_status) == []
    rows = Notification.objects.filter(order=order, rule=rule)
    assert rows.count() == 1
    assert rows.get().status == "sent"  # Q_CLUSTER sync: delivered on commit
    assert order.events.filter(kind="custom_status").count() == 1
