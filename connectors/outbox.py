"""The connectors' two outbox kinds (see outbox/engine.py), each with its own settings.

- EVENTS: the platform webhooks we received. The view only records the row and answers (within the
  platforms' time limits: Shopify waits 5 seconds); a worker reads the order (Tiendanube), maps it
  and applies it. A platform that cannot be reached is retried on PLATFORM_EVENT_RETRY_DELAYS.
- WRITE_BACKS: tracking sent to the platform when staff ship or mark ready for pickup a connected
  order. Timeouts, connection errors, 429 and 5xx are retried on PLATFORM_WRITEBACK_RETRY_DELAYS;
  a refusal fails at once. Staff send a failed one again from the admin.

Both: one task a row, enqueued once the transaction that wrote it commits; a sweep every minute
enqueues what a dead process left; a daily purge deletes old rows (queued ones stay).
"""
from datetime import time

from outbox.engine import OutboxKind, Periodic

from .models import PlatformEvent, WriteBack


class EventOutbox(OutboxKind):
    model = PlatformEvent
    label = "platform-event"
    rows_label = "platform events"
    task_group = "connectors"
    deliver_task = "connectors.tasks.process_event"
    message_field = "message"

    claim_seconds_setting = "PLATFORM_EVENT_CLAIM_SECONDS"
    max_attempts_setting = "PLATFORM_EVENT_MAX_ATTEMPTS"
    retry_delays_setting = "PLATFORM_EVENT_RETRY_DELAYS"
    requeue_after_setting = "PLATFORM_EVENT_REQUEUE_AFTER_SECONDS"
    retention_days_setting = "PLATFORM_EVENT_RETENTION_DAYS"

    purge_batch_size = 2000
    purge_keeps_queued = True
    sweep_schedule = Periodic("connectors: re-enqueue overdue platform events", "connectors.tasks.sweep_events")
    purge_schedule = Periodic("connectors: purge old platform events", "connectors.tasks.purge_events", at=time(3, 50))


class WriteBackOutbox(OutboxKind):
    model = WriteBack
    label = "write-back"
    rows_label = "tracking write-backs"
    task_group = "connectors"
    deliver_task = "connectors.tasks.send_write_back"
    message_field = "error"
    carried_fields = ("last_attempt_at", "response_status", "response_body")

    claim_seconds_setting = "PLATFORM_WRITEBACK_CLAIM_SECONDS"
    max_attempts_setting = "PLATFORM_WRITEBACK_MAX_ATTEMPTS"
    retry_delays_setting = "PLATFORM_WRITEBACK_RETRY_DELAYS"
    requeue_after_setting = "PLATFORM_WRITEBACK_REQUEUE_AFTER_SECONDS"
    retention_days_setting = "PLATFORM_WRITEBACK_RETENTION_DAYS"

    purge_batch_size = 2000
    purge_keeps_queued = True
    sweep_schedule = Periodic("connectors: re-enqueue overdue write-backs", "connectors.tasks.sweep_write_backs")
    purge_schedule = Periodic(
        "connectors: purge old write-backs", "connectors.tasks.purge_write_backs", at=time(3, 55)
    )


EVENTS = EventOutbox()
WRITE_BACKS = WriteBackOutbox()
