"""Purge: the notification log's own purge over many rows, most of them past the retention."""
from __future__ import annotations

import time

from .report import Figure

MILESTONES = ["order_placed", "payment_approved", "preparing", "shipped", "ready_for_pickup", "finalized",
              "cancelled", "new_order"]
CHANNELS = ["email", "sms", "push"]


def fill(rows: int, old_share: float = 0.8) -> None:
    """`rows` log rows, `old_share` of them older than the retention, the rest under 4 days old (one SQL statement)."""
    from django.conf import settings
    from django.db import connection

    from .common import bulk_orders

    from orders.models import Order

    per_order = len(MILESTONES) * len(CHANNELS)
    first = (Order.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    bulk_orders(-(-rows // per_order), chunk=5000)
    retention = settings.NOTIFICATION_LOG_RETENTION_DAYS
    old = int(rows * old_share)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO notifications_notification
              (order_id, milestone, channel, recipient, status, reason_code, reason_detail, attempts, provider_message_id,
               created_at, sent_at, body, fallback_for, language, subject, updated_at)
            SELECT id, m, c, 'cliente@example.com', 'sent', '', '', 1, '', ts, ts, 'Hola', '', 'es', 'Pedido', ts
            FROM (
              SELECT id, m, c,
                     -- rows are written in time order, as the log is: the old ones first, spread over
                     -- 20 days before the retention, then the recent ones over the last 4 days
                     CASE WHEN rn <= %(old)s
                          THEN now() - make_interval(days => %(retention)s + 21)
                               + make_interval(secs => rn * 20 * 86400.0 / %(old)s)
                          ELSE now() - make_interval(days => 4)
                               + make_interval(secs => (rn - %(old)s) * 4 * 86400.0 / %(recent)s) END AS ts
              FROM (
                SELECT o.id, m, c, row_number() OVER (ORDER BY o.id, m, c) AS rn
                FROM orders_order o CROSS JOIN unnest(%(milestones)s::text[]) m CROSS JOIN unnest(%(channels)s::text[]) c
                WHERE o.id >= %(first)s
                LIMIT %(rows)s
              ) numbered
            ) timed
            """,
            {"old": old, "recent": max(1, rows - old), "retention": retention, "milestones": MILESTONES,
             "channels": CHANNELS, "first": first, "rows": rows},
        )
        cursor.execute("ANALYZE notifications_notification")


def run(rows: int) -> list[Figure]:
    from django.conf import settings
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from notifications import services
    from notifications.models import DailyNotificationCount, Notification

    t0 = time.perf_counter()
    fill(rows)
    fill_seconds = time.perf_counter() - t0
    cutoff = timezone.now() - timezone.timedelta(days=settings.NOTIFICATION_LOG_RETENTION_DAYS)
    old = Notification.objects.filter(created_at__lt=cutoff).count()
    total = Notification.objects.count()
    durations = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append((time.perf_counter() - start, sql[:120]))

    t0 = time.perf_counter()
    with connection.execute_wrapper(timed):
        deleted = services.purge_log()
    elapsed = time.perf_counter() - t0
    longest, longest_sql = max(durations) if durations else (0.0, "")
    left = Notification.objects.count()
    counted = DailyNotificationCount.objects.aggregate(n=Sum("count"))["n"] or 0
    exact = deleted == old and left == total - old and counted == old
    notes = [f"{total:,} rows ({old:,} past the retention) written in {fill_seconds:.1f} s",
             f"purge_log() deleted {deleted:,}, left {left:,}, daily counts add up to {counted:,}",
             f"{len(durations)} statements; the longest ({longest:.3f} s): {longest_sql}"]
    return [
        Figure("purge: total", elapsed, "s", baseline=f"{old:,} of {total:,} rows", bar="< 60 s",
               passed=elapsed < 60 and exact, notes=notes),
        Figure("purge: longest statement", longest, "s", bar="<= 1 s", passed=longest <= 1.0),
    ]
