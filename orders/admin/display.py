"""The order screens' words for statuses, custom status changes and what was paid and refunded.

(The helpers other apps use too, `money` and `person_label`, are orders/display.py.)
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from ..models import CustomStatus, CustomStatusType, Order, OrderEvent, Status


def paid_amount(order: Order) -> Decimal:
    return order.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def refunded_amount(order: Order) -> Decimal:
    return order.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def status_label(value: str) -> str:
    return str(Status(value).label) if value else ""


def all_custom_statuses(request=None) -> list[CustomStatus]:
    """Every custom status, read once per request (the order page's forms and timeline share them)."""
    statuses = getattr(request, "_custom_statuses", None)
    if statuses is None:
        statuses = list(CustomStatus.objects.all())
        if request is not None:
            request._custom_statuses = statuses
    return statuses


def custom_status_names(request=None) -> dict[tuple[str, str], str]:
    """(type, code) -> name in the staff member's language, for every custom status."""
    return {(status.type, status.code): status.label for status in all_custom_statuses(request)}


def custom_status_change(event: OrderEvent, names: dict[tuple[str, str], str]) -> str:
    """A custom status event in words: "Delivery: In transit → Delivered" (or "→ —" once cleared)."""
    data = event.data if isinstance(event.data, dict) else {}
    status_type = data.get("type") or ""
    type_label = CustomStatusType(status_type).label if status_type in CustomStatusType.values else status_type

    def name(code):
        return names.get((status_type, code), code) if code else "—"

    if data.get("from"):
        return f"{type_label}: {name(data.get('from'))} → {name(data.get('to'))}"
    return f"{type_label}: {name(data.get('to'))}"
