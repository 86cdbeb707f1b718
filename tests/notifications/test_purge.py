"""The log keeps NOTIFICATION_LOG_RETENTION_DAYS days; daily counts survive the purge; schedules registered once."""
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule

from notifications.models import DailyNotificationCount, ReceiptEvent, Notification
from notifications.schedules import PURGE_NAME, SWEEP_NAME, register_schedules
from notifications.services import purge_log
from notifications.tasks import purge_notification_log
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def local(day, hour=12):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def log_row(order, milestone, channel, status, created_at):
    row = Notification.objects.create(order=order, milestone=milestone, channel=channel, status=status)
    Notification.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


def test_the_purge_deletes_rows_older_than_the_retention_and_keeps_the_rest_and_the_daily_counts(settings):
    settings.NOTIFICATION_LOG_RETENTION_DAYS = 5
    today = timezone.localdate()
    old_day, older_day = today - timedelta(days=6), today - timedelta(days=8)
    orders = [OrderFactory() for _ in range(3)]
    for order in orders:
        log_row(order, "shipped", "email", "sent", local(old_day, 9))
        log_row(order, "order_placed", "email", "sent", local(older_day, 23))  # late evening: still that local day
    log_row(orders[0], "shipped", "sms", "failed", local(old_day, 10))
    log_row(orders[1], "shipped", "sms", "sent", local(old_day, 0))  # just after local midnight
    kept = [
        log_row(orders[0], "preparing", "email", "sent", timezone.now() - timedelta(days=4, hours=23)),
        log_row(orders[1], "preparing", "push", "skipped", timezone.now()),
    ]
    ReceiptEvent.objects.create(event_key="old", event_type="delivered")
    ReceiptEvent.objects.filter(event_key="old").update(received_at=timezone.now() - timedelta(days=6))
    ReceiptEvent.objects.create(event_key="new", event_type="delivered")

    assert purge_log(batch_size=3) == 8  # three batches

    assert sorted(Notification.objects.values_list("pk", flat=True)) == sorted(r.pk for r in kept)
    counts = {(c.day, c.milestone, c.channel, c.status): c.count for c in DailyNotificationCount.objects.all()}
    assert counts == {
        (old_day, "shipped", "email", "sent"): 3,
        (old_day, "shipped", "sms", "failed"): 1,
        (old_day, "shipped", "sms", "sent"): 1,
        (older_day, "order_placed", "email", "sent"): 3,
    }
    assert list(ReceiptEvent.objects.values_list("event_key", flat=True)) == ["new"]

    # A later purge adds to the same day's counts and never counts a row twice.
    log_row(orders[2], "shipped", "sms", "failed", local(old_day, 15))
    assert purge_notification_log() == 1
    assert DailyNotificationCount.objects.get(day=old_day, milestone="shipped", channel="sms", status="failed").count == 2
    assert purge_notification_log() == 0
    assert Notification.objects.count() == 2


def test_the_sweep_and_purge_schedules_are_registered_once():
    register_schedules()
    register_schedules()
    Schedule.objects.create(name=SWEEP_NAME, func="notifications.tasks.sweep_queued_notifications")  # a stray copy
    register_schedules()

    sweep = Schedule.objects.get(name=SWEEP_NAME)
    purge = Schedule.objects.get(name=PURGE_NAME)
    assert (sweep.func, sweep.schedule_type, sweep.minutes) == (
        "notifications.tasks.sweep_queued_notifications", Schedule.MINUTES, 1
    )
    assert (purge.func, purge.schedule_type) == ("notifications.tasks.purge_notification_log", Schedule.DAILY)
    # First due at the store's 03:30 (the test database may have been created just before that moment).
    assert timezone.localtime(purge.next_run).time() == time(3, 30)
    assert purge.next_run > timezone.now() - timedelta(days=1)
