"""django-q2 tasks. Thin: they take ids and call services."""
from . import services


def deliver_notification(notification_id: int):
    return services.deliver(notification_id)


def deliver_notifications(notification_ids):
    return services.deliver_many(notification_ids)


def sweep_queued_notifications():
    # Also the delivery reports that came before their row had the provider's message id.
    services.apply_waiting_receipts()
    return services.requeue_stale()


def purge_notification_log():
    return services.purge_log()
