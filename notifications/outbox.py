"""The notification log as an outbox kind: its tasks, settings and schedules (see outbox/engine.py).

Rows are delivered 50 to a task (a transaction's rows, a backlog), with no django-q2 success
result kept; with the ORM broker the task is written in the transaction that writes the rows.
Transient failures are retried with exponential backoff from NOTIFICATION_RETRY_BASE_SECONDS
(at most 6 hours apart) up to NOTIFICATION_MAX_ATTEMPTS attempts in all.
"""
from datetime import time

from outbox.engine import OutboxKind, Periodic

from .models import Notification


class NotificationOutbox(OutboxKind):
    model = Notification
    label = "notification"
    rows_label = "notifications"
    task_group = "notifications"
    deliver_task = "notifications.tasks.deliver_notification"
    deliver_many_task = "notifications.tasks.deliver_notifications"
    batch_size = 50
    keep_task_results = False
    enqueue_in_transaction = True
    code_field = "reason_code"  # notifications/reasons.py
    message_field = "reason_detail"
    carried_fields = ("language", "subject", "body")

    claim_seconds_setting = "NOTIFICATION_CLAIM_SECONDS"
    max_attempts_setting = "NOTIFICATION_MAX_ATTEMPTS"
    retry_base_setting = "NOTIFICATION_RETRY_BASE_SECONDS"
    requeue_after_setting = "NOTIFICATION_REQUEUE_AFTER_SECONDS"
    retention_days_setting = "NOTIFICATION_LOG_RETENTION_DAYS"

    purge_batch_size = 5000
    sweep_schedule = Periodic(
        "notifications: re-enqueue overdue notifications", "notifications.tasks.sweep_queued_notifications"
    )
    purge_schedule = Periodic(
        "notifications: purge the notification log", "notifications.tasks.purge_notification_log", at=time(3, 30)
    )


NOTIFICATIONS = NotificationOutbox()
