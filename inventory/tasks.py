"""django-q2 tasks. Thin: they take ids and call services; safe to run twice."""
from . import services


def send_low_stock_alerts(alert_ids: list[int]):
    return services.send_low_stock_alerts(alert_ids)
