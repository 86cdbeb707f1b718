"""Webhook deliveries as an outbox kind: their tasks, settings and schedules (see outbox/engine.py).

One task per delivery, enqueued once the order's transaction commits. Timeouts, connection
errors, 429 and 5xx are retried after each of WEBHOOK_RETRY_DELAYS in turn (the last repeats) up
to WEBHOOK_MAX_ATTEMPTS attempts in all; the purge leaves queued deliveries alone.
"""
from datetime import time

from outbox.engine import OutboxKind, Periodic

from .models import Delivery


class DeliveryOutbox(OutboxKind):
    model = Delivery
    label = "webhook"
    rows_label = "webhook deliveries"
    task_group = "webhooks"
    deliver_task = "webhooks.tasks.deliver_webhook"
    message_field = "error"
    code_field = "error_code"
    carried_fields = ("last_attempt_at", "response_status", "duration_ms", "response_body")

    claim_seconds_setting = "WEBHOOK_CLAIM_SECONDS"
    max_attempts_setting = "WEBHOOK_MAX_ATTEMPTS"
    retry_delays_setting = "WEBHOOK_RETRY_DELAYS"
    requeue_after_setting = "WEBHOOK_REQUEUE_AFTER_SECONDS"
    retention_days_setting = "WEBHOOK_RETENTION_DAYS"

    purge_batch_size = 2000
    purge_keeps_queued = True
    sweep_schedule = Periodic("webhooks: re-enqueue overdue deliveries", "webhooks.tasks.sweep_queued_webhooks")
    purge_schedule = Periodic(
        "webhooks: purge old deliveries", "webhooks.tasks.purge_webhook_deliveries", at=time(3, 45)
    )


WEBHOOKS = DeliveryOutbox()
