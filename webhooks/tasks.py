"""django-q2 tasks. Thin: they take ids and call services."""
from . import services


def deliver_webhook(delivery_id: int):
    return services.deliver(delivery_id)


def sweep_queued_webhooks():
    return services.requeue_stale()


def purge_webhook_deliveries():
    return services.purge_deliveries()
