"""Changes other apps make to what an order shows, outside its own fields (its payment link)."""
from __future__ import annotations

from django.utils import timezone

from ..models import Order


def mark_changed(order: Order) -> Order:
    """Another app changed what the order shows (its payment link was made): `updated_at` moves, so
    the API's kept order JSON and integrations syncing with `updated_since` see it. Runs in the
    caller's transaction; the instance given is updated too."""
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(updated_at=now)
    order.updated_at = now
    return order
