"""Payment links and payment checks as two outbox kinds (see outbox/engine.py).

Both talk to Mercado Pago and share its settings: a call that finds it down (timeout, connection
error, 429, 5xx) is retried after each of MERCADOPAGO_RETRY_DELAYS in turn (the last repeats), up
to MERCADOPAGO_MAX_ATTEMPTS attempts in all; a sweep every minute re-enqueues rows overdue by
MERCADOPAGO_REQUEUE_AFTER_SECONDS. Links are records of the order and are never purged; checks
(the notifications received) are purged after MERCADOPAGO_NOTIFICATION_RETENTION_DAYS, queued ones
excepted.
"""
from datetime import time

from outbox.engine import OutboxKind, Periodic

from .models import PaymentCheck, PaymentLink


class MercadoPagoKind(OutboxKind):
    task_group = "paymentlinks"
    claim_seconds_setting = "MERCADOPAGO_CLAIM_SECONDS"
    max_attempts_setting = "MERCADOPAGO_MAX_ATTEMPTS"
    retry_delays_setting = "MERCADOPAGO_RETRY_DELAYS"
    requeue_after_setting = "MERCADOPAGO_REQUEUE_AFTER_SECONDS"


class LinkOutbox(MercadoPagoKind):
    model = PaymentLink
    label = "payment-link"
    rows_label = "payment links"
    deliver_task = "paymentlinks.tasks.make_payment_link"
    message_field = "error"
    code_field = "error_code"
    carried_fields = ("preference_id", "checkout_url", "expires_at")
    sweep_schedule = Periodic("payment links: re-enqueue overdue links", "paymentlinks.tasks.sweep_payment_links")
    purge_schedule = None  # links are records of their orders: never purged


class CheckOutbox(MercadoPagoKind):
    model = PaymentCheck
    label = "payment-check"
    rows_label = "payment checks"
    deliver_task = "paymentlinks.tasks.check_payment"
    message_field = "outcome"
    code_field = "outcome_code"
    retention_days_setting = "MERCADOPAGO_NOTIFICATION_RETENTION_DAYS"
    purge_keeps_queued = True
    sweep_schedule = Periodic("payment links: re-enqueue overdue payment checks", "paymentlinks.tasks.sweep_payment_checks")
    purge_schedule = Periodic(
        "payment links: purge old payment checks", "paymentlinks.tasks.purge_payment_checks", at=time(4, 0),
    )


LINKS = LinkOutbox()
CHECKS = CheckOutbox()


def register_schedules(using="default") -> None:
    LINKS.register_schedules(using=using)
    CHECKS.register_schedules(using=using)
