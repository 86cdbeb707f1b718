"""The JSON a webhook carries: the event envelope and the order as the storefront API shows it
(orders/representation.py).

    {"id": "<event uuid>", "type": "order.shipped", "created_at": "<ISO 8601>",
     "data": {"order": {...GET /api/v1/orders/{number}/ without payments and events...}, "tracking": {...}}}

The event's own data (its time; the status change, payment or custom status it reports) is
taken from the signal when it is sent. The order, and what is read from it (`ORDER_PARTS`: the
tracking of a shipment, the reason of a cancellation), are read afresh once the order's transaction
commits (`committed_order`), so the body shows what every reaction to the change wrote, whatever the
order in which they ran. Built once and stored: every attempt and every redelivery sends the same
bytes.
"""
from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from rest_framework import serializers

from orders.models import Order, OrderEvent, Status
from orders.representation import OrderOutput

from .models import Delivery, Event

_datetime = serializers.DateTimeField()


def timestamp(value) -> str:
    return _datetime.to_representation(value)


def committed_order(pk: int):
    """The order as committed, with what its JSON shows read in a few queries; None if it is gone."""
    return Order.objects.select_related("carrier").with_custom_statuses().prefetch_related("lines").filter(
        pk=pk
    ).first()


def order_data(order) -> dict:
    """The order as GET /api/v1/orders/ lists it (same fields, same formats)."""
    return dict(OrderOutput(order).data)


def envelope(*, event_id, event_type: str, created_at, data: dict) -> str:
    """The body posted. created_at: a datetime or its `timestamp()`."""
    when = created_at if isinstance(created_at, str) else timestamp(created_at)
    body = {"id": str(event_id), "type": event_type, "created_at": when, "data": data}
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


# --- the body, built once the change commits ----------------------------------------------------


def build_bodies(delivery_ids) -> None:
    """Once the order's transaction committed: build the body of each event of these rows not built yet."""
    pending = (
        Delivery.objects.filter(pk__in=list(delivery_ids), body="")
        .only("pk", "order_id", "event_id", "event_type", "event_data").order_by("pk")
    )
    events = {}
    for row in pending:
        events.setdefault(row.event_id, row)
    orders = {}
    for row in events.values():
        _build(row, orders)


def build_body(delivery: Delivery) -> str:
    """The delivery's body: built now if it was not yet; "" if it cannot be (its order is gone)."""
    if delivery.body:
        return delivery.body
    _build(delivery, {})
    return Delivery.objects.filter(pk=delivery.pk).values_list("body", flat=True).first() or ""


def _build(row: Delivery, orders: dict) -> None:
    """Build the body of `row`'s event from the committed order and store it on every row of the
    event that has none: the first builder wins, a later one (a worker racing the commit's build)
    changes nothing, so every endpoint and every attempt get the same bytes."""
    if row.order_id is None:
        return
    # Names (custom statuses, carriers) in the store's language, whoever made the change.
    with translation.override(settings.LANGUAGE_CODE):
        if row.order_id not in orders:
            order = committed_order(row.order_id)
            orders[row.order_id] = (order, order_data(order) if order is not None else None)
        order, order_json = orders[row.order_id]
        if order is None:
            return
        data = {"order": order_json, **(row.event_data or {}).get("data", {})}
        part = ORDER_PARTS.get(row.event_type)
        if part is not None:
            data.update(part(order))
    body = envelope(
        event_id=row.event_id, event_type=row.event_type, created_at=row.event_data["created_at"], data=data
    )
    Delivery.objects.filter(order_id=row.order_id, event_id=row.event_id, body="").update(body=body)


# --- what each event adds next to the order ----------------------------------------------------


def status_change(from_status: str, to_status: str) -> dict:
    return {"from_status": from_status, "to_status": to_status}


def tracking(order) -> dict:
    carrier = order.carrier if order.carrier_id else None
    return {
        "tracking": {
            "carrier": carrier.code if carrier else None,
            "carrier_name": carrier.name if carrier else None,
            "code": order.tracking_code or None,
            "url": order.tracking_url or None,
        }
    }


def cancellation(order) -> dict:
    """The reason staff or the storefront gave, from the timeline event the cancel just wrote."""
    event = (
        OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.STATUS_CHANGED, to_status=Status.CANCELLED)
        .order_by("-id")
        .first()
    )
    return {"reason": event.note if event is not None else ""}


def payment(payment) -> dict:
    return {
        "payment": {
            "amount": f"{payment.amount:.2f}",
            "reference": payment.reference,
            "created_at": timestamp(payment.created_at),
        }
    }


def refund(refund, fully_refunded: bool) -> dict:
    return {
        "refund": {
            "amount": f"{refund.amount:.2f}",
            "reference": refund.reference,
            "created_at": timestamp(refund.created_at),
            "fully_refunded": fully_refunded,
        }
    }


def _custom_status(status) -> dict | None:
    if status is None:
        return None
    return {
        "code": status.code,
        "type": status.type,
        "name": status.name_in(settings.LANGUAGE_CODE),
        "names": {"en": status.name_en, "es": status.name_es, "pt-br": status.name_pt_br},
    }


def custom_status_change(status_type: str, from_status, to_status) -> dict:
    return {
        "custom_status": {
            "type": status_type,
            "from": _custom_status(from_status),
            "to": _custom_status(to_status),
        }
    }


# What events add next to the order that is read from the (committed) order itself.
ORDER_PARTS = {
    Event.ORDER_SHIPPED: tracking,
    Event.ORDER_CANCELLED: cancellation,
}
