"""django-q2 tasks. Thin: they take ids and call services; safe to run twice."""
from . import messages
from .models import LowStockAlert


def send_low_stock_alerts(alert_ids: list[int]):
    """A low-stock task queued by an earlier release, before the email was written with the change:
    writes its email to the notification log (once: a second run writes nothing)."""
    alerts = list(LowStockAlert.objects.filter(pk__in=alert_ids).select_related("item"))
    recorded = messages.record_low_stock(alerts)
    return 1 if recorded is not None and recorded.row is not None else 0
