"""Unapplying the notifications migrations with data written after them: the rows are turned back
into what the schema before can hold, or the migration says why it cannot go back, before undoing
anything."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor

from notifications.models import DailyNotificationCount, Notification
from orders import services

from .helpers import pay, place, switch

pytestmark = pytest.mark.django_db


def migrate(target):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks while the tables are altered
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes() if target is None else [target])
    return executor.loader.project_state(target and [target]).apps if target else None


def test_the_daily_counts_of_the_new_statuses_go_back_into_sent_and_failed():
    day = date(2026, 11, 30)
    for status, count in {"sent": 3, "delivered": 2, "read": 1, "undelivered": 4, "failed": 1}.items():
        DailyNotificationCount.objects.create(day=day, milestone="shipped", channel="email", status=status, count=count)
    DailyNotificationCount.objects.create(day=day, milestone="shipped", channel="sms", status="undelivered", count=5)
    try:
        old = migrate(("notifications", "0018_transfer_details_and_refund_totals_in_shipped_messages"))
        counts = old.get_model("notifications", "DailyNotificationCount").objects.filter(day=day)
        assert sorted(counts.values_list("channel", "status", "count")) == [
            ("email", "failed", 5), ("email", "sent", 6), ("sms", "failed", 5),
        ]
    finally:
        migrate(None)


def test_going_back_before_one_message_per_refund_says_why_it_cannot_while_two_refunds_were_told(staff, commit):
    switch("refunded", email=True, sms=False, push=False)
    order = pay(place(by=staff), by=staff)
    with commit():
        first = services.register_refund(order, by=staff, amount=Decimal("100.00"))
        services.register_refund(order, by=staff, amount=Decimal("200.00"))
    assert Notification.objects.filter(order=order, milestone="refunded", channel="email").count() == 2
    try:
        with pytest.raises(IrreversibleError, match=f"order id {order.pk} has 2 'refunded' messages on email"):
            migrate(("notifications", "0016_refunded_milestone"))
        # 0017 and its rows untouched (read with the model as 0017 left it)
        at_0017 = MigrationExecutor(connection).loader.project_state(("notifications", "0017_one_message_per_refund"))
        rows = at_0017.apps.get_model("notifications", "Notification").objects.filter(
            order_id=order.pk, milestone="refunded", channel="email")
        assert rows.filter(refund_id=first.pk).count() == 1 and rows.count() == 2

        rows.exclude(refund_id=first.pk).delete()  # one message per channel: the schema before can hold it
        old = migrate(("notifications", "0016_refunded_milestone"))
        assert old.get_model("notifications", "Notification").objects.filter(order_id=order.pk).count() >= 1
    finally:
        migrate(None)
