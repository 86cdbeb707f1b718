"""The periodic jobs: the sweep (the outbox engine's) and the log purge, which keeps daily counts."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import DailyNotificationCount, ReceiptEvent, Notification
from ..outbox import NOTIFICATIONS
from .common import _execute_with_values


# Enqueue again the queued rows overdue by NOTIFICATION_REQUEUE_AFTER_SECONDS.
requeue_stale = NOTIFICATIONS.requeue_stale


def purge_log(*, now=None, batch_size: int | None = None) -> int:
    """Delete log rows older than the retention, batch by batch; returns how many were deleted.

    Each batch is counted into DailyNotificationCount (per local day, milestone, channel and
    status) in the same transaction that deletes it, so the counts stay exact after the rows are gone.
    """
    now = now or timezone.now()
    batch_size = batch_size or NOTIFICATIONS.purge_batch_size
    deleted = NOTIFICATIONS.purge(now=now, batch_size=batch_size, before_delete=_count_purged)
    cutoff = now - timedelta(days=settings.NOTIFICATION_LOG_RETENTION_DAYS)
    while True:
        ids = list(ReceiptEvent.objects.filter(received_at__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        ReceiptEvent.objects.filter(pk__in=ids).delete()
    return deleted


def _count_purged(ids) -> None:
    tz = timezone.get_current_timezone()
    _add_daily_counts(
        Notification.objects.filter(pk__in=ids)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "milestone", "channel", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _add_daily_counts(counts) -> None:
    """Add a batch's counts to DailyNotificationCount in one statement."""
    _execute_with_values(
        DailyNotificationCount,
        "INSERT INTO {table} (day, milestone, channel, status, count) VALUES {values} "
        "ON CONFLICT (day, milestone, channel, status) DO UPDATE SET count = {table}.count + EXCLUDED.count",
        "(%s, %s, %s, %s, %s)",
        [(row["day"], row["milestone"], row["channel"], row["status"], row["n"]) for row in counts],
    )
